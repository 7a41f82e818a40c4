// The thread pool and parallel_for (see thread_pool.h).
#include "util/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>

namespace stepcoder {

int resolve_workers(int workers) {
  return workers > 0 ? workers : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

ThreadPool::ThreadPool(int workers) {
  for (int i = 0, n = resolve_workers(workers); i < n; ++i) threads_.emplace_back([this] { loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
    ++pending_;
  }
  ready_.notify_one();
}

void ThreadPool::wait() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return pending_ == 0; });
}

void ThreadPool::loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
    std::lock_guard<std::mutex> lock(mu_);
    if (--pending_ == 0) idle_.notify_all();
  }
}

void parallel_for(size_t n, int workers, const std::function<void(size_t)>& fn,
                  const std::function<void(size_t)>& progress) {
  if (n == 0) return;
  std::atomic<size_t> finished{0};
  std::mutex mu;
  std::condition_variable cv;
  ThreadPool pool(static_cast<int>(std::min<size_t>(static_cast<size_t>(resolve_workers(workers)), n)));
  for (size_t i = 0; i < n; ++i)
    pool.submit([&, i] {
      fn(i);
      ++finished;
      cv.notify_one();
    });
  if (progress) {
    std::unique_lock<std::mutex> lock(mu);
    for (size_t seen = 0; seen < n;) {
      cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return finished.load() != seen; });
      seen = finished.load();
      progress(seen);
    }
  }
  pool.wait();
}

}  // namespace stepcoder
