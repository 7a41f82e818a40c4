// Every reference solution of the shipped suite (examples/suite) passes its own tests in the
// real judge. Minutes on two cores, hence the `slow` label.
#include <gtest/gtest.h>

#include "tasks/problem_io.h"
#include "tasks/verify.h"
#include "tests/tasks/judge_support.h"
#include "util/files.h"

namespace stepcoder::tasks {
namespace {

TEST(SuiteSlowTest, EveryShippedCanonicalSolutionPasses) {
  std::string dir = STEPCODER_SOURCE_DIR "/examples/suite";
  std::vector<Problem> all;
  for (const char* split : {"train", "valid", "test"}) {
    auto set = load_problems(dir + "/" + split + ".jsonl");
    ASSERT_TRUE(set) << set.error();
    all.insert(all.end(), set->problems.begin(), set->problems.end());
  }
  ASSERT_GT(all.size(), 3000u);
  VerifyReport r = verify_canonical(all, test_support::judge(), /*workers=*/0);
  for (const CanonicalFailure& f : r.failures) ADD_FAILURE() << f.task_id << ": " << f.verdict << " " << f.message;
  EXPECT_EQ(r.passed, static_cast<int>(all.size()));
  std::printf("judged %d problems in %d programs, %d passed\n", r.judged, r.programs, r.passed);
}

}  // namespace
}  // namespace stepcoder::tasks
