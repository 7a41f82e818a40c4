// Judging thread pool: see pool.h.
#include "sandbox/pool.h"

namespace stepcoder::sandbox {

JudgePool::JudgePool(Judge& judge, int workers) : judge_(judge), pool_(workers) {}

JudgePool::~JudgePool() = default;

std::future<JudgeResult> JudgePool::submit(JudgeRequest req) {
  return pool_.async([this, r = std::move(req)] { return judge_.judge(r); });
}

std::vector<JudgeResult> JudgePool::judge_all(const std::vector<JudgeRequest>& reqs,
                                              const std::function<void(size_t)>& progress) {
  std::vector<std::future<JudgeResult>> futures;
  futures.reserve(reqs.size());
  for (const auto& r : reqs) futures.push_back(submit(r));
  std::vector<JudgeResult> out;
  out.reserve(reqs.size());
  for (auto& f : futures) {
    out.push_back(f.get());
    if (progress) progress(out.size());
  }
  return out;
}

}  // namespace stepcoder::sandbox
