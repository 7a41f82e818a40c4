// Every stage of 20 HumanEval-X problems passes its tests in the real judge when the model
// writes the stage's canonical completion after the given prefix.
#include <gtest/gtest.h>

#include "tasks/problem_io.h"
#include "tests/curriculum/split_judge_support.h"
#include "util/files.h"

namespace stepcoder::curriculum {
namespace {

TEST(SplitJudgeSlow, EveryStageOfTwentyHumanEvalXProblemsPasses) {
  const std::string path = "/work/shared/data/external/humaneval-x_cpp.jsonl.gz";
  if (!file_exists(path)) GTEST_SKIP() << path << " is absent (HumanEval-X C++ is not bundled)";
  auto set = tasks::load_problems(path);
  ASSERT_TRUE(set.ok()) << set.error();
  std::vector<tasks::Problem> sample;
  for (size_t i = 0; i < set->problems.size() && sample.size() < 20; i += 8) sample.push_back(set->problems[i]);
  int judged = 0;
  auto failures = test_support::judge_all_stages(sample, {"control", "statement"}, &judged);
  EXPECT_GT(judged, 2 * static_cast<int>(sample.size()));
  for (const auto& f : failures) ADD_FAILURE() << f;
}

}  // namespace
}  // namespace stepcoder::curriculum
