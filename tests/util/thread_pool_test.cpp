// The thread pool: every task runs once, wait() waits for all, results and exceptions come back
// through async()'s futures, the destructor runs what is queued; parallel_for covers every
// index once and reports progress up to n from the caller's thread.
#include "util/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace stepcoder {
namespace {

TEST(ThreadPoolTest, EveryTaskRunsOnceAndWaitWaitsForAll) {
  ThreadPool pool(3);
  EXPECT_EQ(pool.workers(), 3);
  std::vector<std::atomic<int>> runs(200);
  for (size_t i = 0; i < runs.size(); ++i) pool.submit([&, i] { ++runs[i]; });
  pool.wait();
  for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i].load(), 1) << i;
  pool.wait();  // nothing pending: returns at once
}

TEST(ThreadPoolTest, AsyncReturnsResultsAndExceptions) {
  ThreadPool pool(2);
  auto value = pool.async([] { return 6 * 7; });
  auto thrown = pool.async([]() -> int { throw std::runtime_error("boom"); });
  EXPECT_EQ(value.get(), 42);
  EXPECT_THROW(thrown.get(), std::runtime_error);
  EXPECT_GE(ThreadPool(0).workers(), 1);  // one per core
}

TEST(ThreadPoolTest, TheDestructorRunsWhatIsQueued) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(1);
    for (int i = 0; i < 50; ++i) pool.submit([&] { ++done; });
  }
  EXPECT_EQ(done.load(), 50);
}

TEST(ParallelForTest, CoversEveryIndexOnceWithProgressUpToN) {
  for (int workers : {0, 1, 4}) {
    std::vector<std::atomic<int>> hits(97);
    size_t last = 0, calls = 0;
    parallel_for(hits.size(), workers, [&](size_t i) { ++hits[i]; }, [&](size_t done) {
      EXPECT_GE(done, last);
      last = done, ++calls;
    });
    for (size_t i = 0; i < hits.size(); ++i) EXPECT_EQ(hits[i].load(), 1) << "index " << i << ", workers " << workers;
    EXPECT_EQ(last, hits.size());
    EXPECT_GE(calls, 1u);
    std::atomic<size_t> sum{0};
    parallel_for(10, workers, [&](size_t i) { sum += i; });  // without progress
    EXPECT_EQ(sum.load(), 45u);
  }
  parallel_for(0, 2, [](size_t) { FAIL() << "no items"; });
}

}  // namespace
}  // namespace stepcoder
