// PPO numerics without a model: the reward table, RLTF adaptive and error-line terms, the KL
// penalty and its controller, GAE against a hand-computed reference, masked whitening, the
// mixed-verdict share and the config keys.
#include <gtest/gtest.h>

#include "trainer/advantages.h"
#include "run/ppo_config.h"
#include "trainer/rewards.h"
#include "trainer/rollout.h"

namespace stepcoder::trainer {
namespace {

using sandbox::Verdict;
using Spans = std::vector<std::pair<size_t, size_t>>;

torch::Tensor run_chain(RewardChain& chain, const sandbox::JudgeResult& r, const std::string& program,
                        size_t start, const Spans& spans, torch::Tensor lp = {}, torch::Tensor ref = {}) {
  RewardInput in{r, program, start, spans, lp, ref};
  return chain.compute(in);
}

sandbox::JudgeResult result(Verdict v, double pass_ratio = 0) {
  sandbox::JudgeResult r;
  r.verdict = v, r.pass_ratio = pass_ratio;
  return r;
}

TEST(PpoRewardsTest, OutcomeTableOnTheLastToken) {
  run::RewardConfig c;
  c.kl = false;
  RewardChain chain = make_reward_chain(c, nullptr);
  const Spans spans{{0, 1}, {1, 2}, {2, 3}};
  const std::pair<Verdict, double> table[] = {
      {Verdict::CompileError, -1.0}, {Verdict::RuntimeError, -0.6}, {Verdict::Timeout, -0.6},
      {Verdict::MemoryLimit, -0.6},  {Verdict::OutputLimit, -0.6},  {Verdict::Violation, -0.6},
      {Verdict::Failed, -0.3},       {Verdict::Passed, 1.0}};
  for (auto [v, want] : table) {
    auto r = run_chain(chain, result(v, 0.5), "abc", 0, spans);  // (3)
    ASSERT_EQ(r.size(0), 3);
    EXPECT_FLOAT_EQ(r[2].item<float>(), want) << sandbox::verdict_name(v);
    EXPECT_FLOAT_EQ(r[0].item<float>(), 0.0f);
    EXPECT_FLOAT_EQ(r[1].item<float>(), 0.0f);
  }
}

TEST(PpoRewardsTest, AdaptiveRewardScalesWithThePassRatioOfFailedPrograms) {
  run::RewardConfig c;
  c.kl = false, c.adaptive = true;
  RewardChain chain = make_reward_chain(c, nullptr);
  const Spans spans{{0, 1}, {1, 2}};
  EXPECT_NEAR(run_chain(chain, result(Verdict::Failed, 0.5), "ab", 0, spans)[1].item<float>(), -0.3 + 0.65, 1e-6);
  EXPECT_NEAR(run_chain(chain, result(Verdict::Failed, 0.0), "ab", 0, spans)[1].item<float>(), -0.3, 1e-6);
  EXPECT_NEAR(run_chain(chain, result(Verdict::Failed, 1.0), "ab", 0, spans)[1].item<float>(), 1.0, 1e-6);
  EXPECT_NEAR(run_chain(chain, result(Verdict::Passed, 1.0), "ab", 0, spans)[1].item<float>(), 1.0, 1e-6);
  EXPECT_NEAR(run_chain(chain, result(Verdict::CompileError, 0.9), "ab", 0, spans)[1].item<float>(), -1.0, 1e-6);
}

// prompt (line 1) + completion over lines 2..4; tokens given by their byte spans.
struct ErrorLineCase {
  std::string prompt = "int f(int a) {\n";
  std::string completion = "  int x = a;\n  return y;\n}\n";
  Spans spans{{0, 5},   {5, 7},   {7, 9},   {9, 11},  {11, 12}, {12, 15},   // "  int"," x"," ="," a",";","\n  "
              {15, 21}, {21, 23}, {23, 24}, {24, 25}, {25, 26}, {26, 27}};  // "return"," y",";","\n","}","\n"
};

TEST(PpoRewardsTest, TokenLinesFollowTheFirstNonBlankByte) {
  ErrorLineCase k;
  auto lines = run::token_lines(k.prompt + k.completion, k.prompt.size(), k.spans);
  EXPECT_EQ(lines, (std::vector<int>{2, 2, 2, 2, 2, 0, 3, 3, 3, 0, 4, 0}));
}

TEST(PpoRewardsTest, ErrorLinePenaltyLandsOnTheDiagnosedAndCrashedLines) {
  ErrorLineCase k;
  run::RewardConfig c;
  c.kl = false, c.outcome = false, c.error_lines = true;
  RewardChain chain = make_reward_chain(c, nullptr);
  auto r = result(Verdict::CompileError);
  r.diagnostics.push_back({3, 10, "error", "'y' was not declared in this scope", false});
  r.diagnostics.push_back({2, 7, "warning", "unused variable 'x'", false});
  r.diagnostics.push_back({0, 0, "error", "in the tests", true});
  auto rw = run_chain(chain, r, k.prompt + k.completion, k.prompt.size(), k.spans);  // (12)
  for (int t = 0; t < 12; ++t)
    EXPECT_FLOAT_EQ(rw[t].item<float>(), (t >= 6 && t <= 8) ? -0.3f : 0.0f) << "token " << t;

  auto crash = result(Verdict::RuntimeError);
  crash.tests.resize(1);
  crash.tests[0].crash_line = 4;
  rw = run_chain(chain, crash, k.prompt + k.completion, k.prompt.size(), k.spans);
  for (int t = 0; t < 12; ++t) EXPECT_FLOAT_EQ(rw[t].item<float>(), t == 10 ? -0.3f : 0.0f) << "token " << t;
}

TEST(PpoRewardsTest, KlPenaltyPerTokenAndAdaptiveCoefficient) {
  run::RewardConfig c;
  c.outcome = false, c.kl = true, c.kl_coef = 0.1;
  KlController kl(c);
  RewardChain chain = make_reward_chain(c, &kl);
  EXPECT_EQ(chain.describe(), "kl");
  auto rw = run_chain(chain, result(Verdict::Passed), "ab", 0, {{0, 1}, {1, 2}}, torch::tensor({-1.0f, -2.0f}),
                      torch::tensor({-1.5f, -1.0f}));
  EXPECT_NEAR(rw[0].item<float>(), -0.05, 1e-6);
  EXPECT_NEAR(rw[1].item<float>(), 0.1, 1e-6);

  kl.update(/*observed_kl=*/100.0, /*completions=*/10);  // fixed: unchanged
  EXPECT_DOUBLE_EQ(kl.coef(), 0.1);
  c.kl_adaptive = true, c.kl_target = 1.0, c.kl_horizon = 1000;
  KlController adaptive(c);
  adaptive.update(/*observed_kl=*/2.0, /*completions=*/100);  // error clipped to +0.2
  EXPECT_NEAR(adaptive.coef(), 0.1 * 1.02, 1e-12);
  adaptive.update(/*observed_kl=*/0.5, /*completions=*/100);  // error -0.5 clipped to -0.2
  EXPECT_NEAR(adaptive.coef(), 0.1 * 1.02 * 0.98, 1e-12);
}

TEST(PpoRewardsTest, ChainOrderAndBreakdown) {
  run::RewardConfig c;
  c.adaptive = c.error_lines = true;
  KlController kl(c);
  RewardChain chain = make_reward_chain(c, &kl);
  EXPECT_EQ(chain.describe(), "outcome -> adaptive -> error_lines -> kl");
  std::map<std::string, double> parts;
  auto r = result(Verdict::Failed, 0.5);
  RewardInput in{r, "ab", 0, {{0, 1}, {1, 2}}, torch::zeros({2}), torch::zeros({2})};
  chain.compute(in, &parts);
  EXPECT_NEAR(parts["outcome"], -0.3, 1e-6);
  EXPECT_NEAR(parts["adaptive"], 0.65, 1e-6);
  EXPECT_NEAR(parts["kl"], 0.0, 1e-9);
}

TEST(PpoAdvantagesTest, GaeMatchesHandComputedReference) {
  // Row 0: three tokens. Row 1: two tokens then padding (whose reward and value are ignored).
  auto rewards = torch::tensor({0.0f, 0.0f, 1.0f, 0.0f, 1.0f, 5.0f}).view({2, 3});
  auto values = torch::tensor({0.5f, 0.4f, 0.3f, 0.2f, 0.1f, 9.0f}).view({2, 3});
  auto valid = torch::tensor({1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 0.0f}).view({2, 3});
  Gae g = compute_gae(rewards, values, valid, /*gamma=*/0.9, /*lambda=*/0.8);
  // delta_t = r_t + gamma V_{t+1} - V_t;  A_t = delta_t + gamma lambda A_{t+1}
  const float want_adv[2][3] = {{0.12928f, 0.374f, 0.7f}, {0.538f, 0.9f, 0.0f}};
  const float want_ret[2][3] = {{0.62928f, 0.774f, 1.0f}, {0.738f, 1.0f, 0.0f}};
  for (int b = 0; b < 2; ++b)
    for (int t = 0; t < 3; ++t) {
      EXPECT_NEAR(g.advantages[b][t].item<float>(), want_adv[b][t], 1e-5) << b << "," << t;
      EXPECT_NEAR(g.returns[b][t].item<float>(), want_ret[b][t], 1e-5) << b << "," << t;
    }
}

TEST(PpoAdvantagesTest, WhiteningUsesOnlyKeptTokens) {
  auto x = torch::tensor({1.0f, 2.0f, 3.0f, 100.0f});
  auto keep = torch::tensor({1.0f, 1.0f, 1.0f, 0.0f});
  auto w = whiten(x, keep);
  EXPECT_NEAR(w[0].item<float>(), -1.0, 1e-5);  // mean 2, sample std 1
  EXPECT_NEAR(w[1].item<float>(), 0.0, 1e-5);
  EXPECT_NEAR(w[2].item<float>(), 1.0, 1e-5);
  EXPECT_EQ(w[3].item<float>(), 0.0f);
  EXPECT_EQ(whiten(x, torch::zeros({4})).abs().sum().item<float>(), 0.0f);
}

TEST(PpoAdvantagesTest, GroupBaselineIsTheMeanReturnOfThePromptsSamples) {
  // Two prompts x K=2, three positions; row 3 has a padded last position (its reward ignored).
  // Prompt 0: one pass (+1), one fail (-1) -> +-1 on every token. Prompt 1: both end at 0.5,
  // row 2 with a per-token penalty of -0.1 on its first token.
  auto rewards = torch::tensor({0.0f, 0.0f, 1.0f,  0.0f, 0.0f, -1.0f,
                                -0.1f, 0.0f, 0.5f,  0.0f, 0.5f, 7.0f}).view({4, 3});
  auto valid = torch::tensor({1.0f, 1.0f, 1.0f,  1.0f, 1.0f, 1.0f,
                              1.0f, 1.0f, 1.0f,  1.0f, 1.0f, 0.0f}).view({4, 3});
  auto a = group_advantages(rewards, valid, /*group=*/2);
  // Prompt 1's mean return: (0.4 + 0.5) / 2 = 0.45; reward-to-go of row 2: 0.4, 0.5, 0.5.
  const float want[4][3] = {{1, 1, 1}, {-1, -1, -1}, {-0.05f, 0.05f, 0.05f}, {0.05f, 0.05f, 0}};
  for (int b = 0; b < 4; ++b)
    for (int t = 0; t < 3; ++t) EXPECT_NEAR(a[b][t].item<float>(), want[b][t], 1e-5) << b << "," << t;
  // Scaling keeps zeros at zero and divides by the kept entries' std.
  auto x = torch::tensor({0.0f, 2.0f, -2.0f, 50.0f});
  auto keep = torch::tensor({1.0f, 1.0f, 1.0f, 0.0f});
  auto sc = scale_by_std(x, keep);
  EXPECT_EQ(sc[0].item<float>(), 0.0f);
  EXPECT_NEAR(sc[1].item<float>(), 1.0, 1e-5);  // std of {0, 2, -2} is 2
  EXPECT_NEAR(sc[2].item<float>(), -1.0, 1e-5);
  EXPECT_EQ(sc[3].item<float>(), 0.0f);
}

TEST(PpoRolloutStatsTest, MixedVerdictShare) {
  using V = Verdict;
  EXPECT_DOUBLE_EQ(mixed_verdict_share({{V::Passed, V::Passed}, {V::Failed, V::Passed},
                                        {V::CompileError, V::Timeout}, {V::Failed}}),
                   0.5);
  EXPECT_DOUBLE_EQ(mixed_verdict_share({}), 0.0);
}

TEST(PpoConfigTest, KeysAreDeclaredAndLoaded) {
  run::PpoConfig c;
  ConfigSchema s;
  describe(c, s, "ppo");
  EXPECT_TRUE(s.has("ppo.rewards.kl_target"));
  Status st = s.load_text("ppo:\n  lambda: 0.9\n  rewards:\n    adaptive: true\n    failed: -0.5\n", "t.yaml");
  ASSERT_TRUE(st) << st.error();
  EXPECT_DOUBLE_EQ(c.lambda, 0.9);
  EXPECT_TRUE(c.rewards.adaptive);
  EXPECT_DOUBLE_EQ(c.rewards.failed, -0.5);
  EXPECT_FALSE(s.load_text("ppo:\n  clip: -1\n", "t.yaml"));
}

}  // namespace
}  // namespace stepcoder::trainer
