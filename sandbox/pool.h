// A fixed pool of threads that judge many requests in parallel (each judge() forks its own
// compiler and program, so threads only wait on children). Results come back in input order.
//
//   JudgePool pool(*judge, /*workers=*/4);
//   std::vector<JudgeResult> rs = pool.judge_all(requests, [](size_t done) { bar.update(done); });
//   std::future<JudgeResult> f = pool.submit(req);   // overlap judging with other work
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "sandbox/judge.h"

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
  int workers() const { return static_cast<int>(threads_.size()); }

 private:
  void worker_loop();

  Judge& judge_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<JudgeResult()>> queue_;
  bool stopping_ = false;
};

}  // namespace stepcoder::sandbox
