// One thread pool for the project: the rollout's judging, the judge pool, the CLI's fan-outs
// and the curriculum splitter all run on it.
//
//   ThreadPool pool(/*workers=*/0);                 // 0: one thread per core
//   pool.submit([&] { results[i] = work(i); });      // results by index: finishing order is moot
//   std::future<int> f = pool.async([] { return 42; });
//   pool.wait();                                     // every submitted task has finished
//   parallel_for(n, /*workers=*/4, [&](size_t i) { out[i] = f(i); },
//                [&](size_t done) { bar.update(done); });   // progress from the caller's thread
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace stepcoder {

// `workers` itself when positive, else the number of cores (at least 1).
int resolve_workers(int workers);

class ThreadPool {
 public:
  explicit ThreadPool(int workers);
  // Runs what is queued, then joins the threads.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void submit(std::function<void()> task);
  // A task whose result (or exception) comes back through the future.
  template <class F>
  auto async(F f) -> std::future<decltype(f())> {
    auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
    auto future = task->get_future();
    submit([task] { (*task)(); });
    return future;
  }
  // Returns once every task submitted so far has finished.
  void wait();
  int workers() const { return static_cast<int>(threads_.size()); }

 private:
  void loop();

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable ready_, idle_;
  std::deque<std::function<void()>> queue_;
  size_t pending_ = 0;
  bool stop_ = false;
};

// fn(i) for every i in [0, n) on a ThreadPool of up to `workers` threads (<= 0: one per core);
// `progress(done)` (optional) is called from the caller's thread as items finish, the last time
// with n. Returns when every fn has.
void parallel_for(size_t n, int workers, const std::function<void(size_t)>& fn,
                  const std::function<void(size_t)>& progress = {});

}  // namespace stepcoder
