// Judging thread pool: see pool.h.
#include "sandbox/pool.h"

namespace stepcoder::sandbox {

JudgePool::JudgePool(Judge& judge, int workers) : judge_(judge) {
  if (workers <= 0) workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { worker_loop(); });
}

JudgePool::~JudgePool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void JudgePool::worker_loop() {
  for (;;) {
    std::packaged_task<JudgeResult()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

std::future<JudgeResult> JudgePool::submit(JudgeRequest req) {
  std::packaged_task<JudgeResult()> task(
      [this, r = std::move(req)] { return judge_.judge(r); });
  std::future<JudgeResult> f = task.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return f;
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
