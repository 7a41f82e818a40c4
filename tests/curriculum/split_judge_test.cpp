// Every stage of one problem per family of the bundled suite passes its tests in the real
// judge when the model writes the stage's canonical completion after the given prefix.
#include <gtest/gtest.h>

#include <set>

#include "tasks/problem_io.h"
#include "tests/curriculum/split_judge_support.h"

namespace stepcoder::curriculum {
namespace {

TEST(SplitJudge, EveryStageOfOneProblemPerSuiteFamilyPasses) {
  auto set = tasks::load_problems(std::string(STEPCODER_SOURCE_DIR) + "/examples/suite/train.jsonl");
  ASSERT_TRUE(set.ok()) << set.error();
  std::set<std::string> seen;
  std::vector<tasks::Problem> sample;
  for (const auto& p : set->problems)
    if (seen.insert(p.family).second) sample.push_back(p);
  ASSERT_GT(sample.size(), 40u);
  int judged = 0;
  auto failures = test_support::judge_all_stages(sample, {"control", "statement", "line"}, &judged);
  EXPECT_GT(judged, 3 * static_cast<int>(sample.size()));
  for (const auto& f : failures) ADD_FAILURE() << f;
}

}  // namespace
}  // namespace stepcoder::curriculum
