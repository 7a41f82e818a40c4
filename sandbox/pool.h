// Judging many requests in parallel on a util/thread_pool.h pool (each judge() forks its own
// compiler and program, so threads only wait on children). Results come back in input order.
//
//   JudgePool pool(*judge, /*workers=*/4);
//   std::vector<JudgeResult> rs = pool.judge_all(requests, [](size_t done) { bar.update(done); });
//   std::future<JudgeResult> f = pool.submit(req);   // overlap judging with other work
#pragma once

#include <functional>
#include <future>
#include <vector>

#include "sandbox/judge.h"
#include "util/thread_pool.h"

namespace stepcoder::sandbox {

class JudgePool {
 public:
  // workers <= 0 means one per core.
  JudgePool(Judge& judge, int workers);
  ~JudgePool();
  JudgePool(const JudgePool&) = delete;
  JudgePool& operator=(const JudgePool&) = delete;

  std::future<JudgeResult> submit(JudgeRequest req);
  // Judges every request; `progress` (optional) is called with the count done, from the caller's
  // thread.
  std::vector<JudgeResult> judge_all(const std::vector<JudgeRequest>& reqs,
                                     const std::function<void(size_t)>& progress = {});
  int workers() const { return pool_.workers(); }

 private:
  Judge& judge_;
  ThreadPool pool_;
};

}  // namespace stepcoder::sandbox
