// run::task_reward (plain doubles, what `stepcoder replay` recomputes) agrees with the trainer's
// reward chain, which places the same values on tokens, without its KL term, for every verdict
// and every term switched on.
#include <gtest/gtest.h>

#include "run/reward.h"
#include "run/ppo_config.h"
#include "trainer/rewards.h"

namespace stepcoder::run {
namespace {

double chain_reward(const run::RewardConfig& c, const sandbox::JudgeResult& r, const std::string& program,
                    size_t start, const std::vector<std::pair<size_t, size_t>>& spans) {
  trainer::RewardChain chain = trainer::make_reward_chain(c, /*kl=*/nullptr);
  trainer::RewardInput in{r, program, start, spans, torch::Tensor(), torch::Tensor()};
  const trainer::Shaped s = chain.compute(in);
  return (s.rewards.sum() + s.shaping.sum()).item<double>();
}

TEST(TaskReward, AgreesWithTheTrainersChainWithoutKl) {
  const std::string prompt = "int f(int a) {\n";
  const std::string completion = "    int b = a +;\n    return  b;\n}\n";
  const std::string program = prompt + completion;
  const auto spans = spans_from_ends("4,8,10,12,14,15,16,20,27,30,31,33", 14, completion.size());
  ASSERT_EQ(spans.size(), 14u);
  EXPECT_EQ(spans[1], (std::pair<size_t, size_t>{4, 8}));
  EXPECT_EQ(spans[13], (std::pair<size_t, size_t>{completion.size(), completion.size()}));
  int checked = 0;
  for (int v = 0; v < sandbox::kVerdictCount; ++v) {
    for (int terms = 0; terms < 8; ++terms) {
      sandbox::JudgeResult r;
      r.verdict = static_cast<sandbox::Verdict>(v);
      r.pass_ratio = 0.4;
      r.diagnostics.push_back({2, 17, "error", "expected expression", false});
      r.diagnostics.push_back({1, 1, "error", "in the tests", true});
      r.tests.emplace_back();
      r.tests.back().crash_line = 3;
      run::RewardConfig c;
      c.outcome = terms & 1, c.adaptive = terms & 2, c.error_lines = terms & 4, c.kl = true;
      c.failed = -0.25, c.error_line_penalty = 0.2;
      const double want = chain_reward(c, r, program, prompt.size(), spans);
      EXPECT_NEAR(task_reward(c, r, program, prompt.size(), spans), want, 1e-5)
          << "verdict " << v << " terms " << terms;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8 * sandbox::kVerdictCount);
  sandbox::JudgeResult passed;
  passed.verdict = sandbox::Verdict::Passed;
  EXPECT_EQ(task_reward(run::RewardConfig{}, passed, program, prompt.size(), {}), 0.0);  // no tokens, no reward
}

}  // namespace
}  // namespace stepcoder::run
