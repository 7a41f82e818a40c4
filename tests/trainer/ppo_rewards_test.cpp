// PPO numerics without a model: the reward table, RLTF adaptive and error-line terms, the KL
// penalty and its controller, GAE against a hand-computed reference, masked whitening, the
// outcome-only group baseline and its std floor, where KL and the error-line penalty land in
// the advantages, the mixed-verdict share and the config keys.
#include <gtest/gtest.h>

#include <algorithm>

#include "trainer/advantages.h"
#include "trainer/ppo_loss.h"
#include "run/ppo_config.h"
#include "trainer/rewards.h"
#include "trainer/rollout.h"

namespace stepcoder::trainer {
namespace {

using sandbox::Verdict;
using Spans = std::vector<std::pair<size_t, size_t>>;

// The chain's per-token rewards; its shaping goes to `shaping` when given.
torch::Tensor run_chain(RewardChain& chain, const sandbox::JudgeResult& r, const std::string& program,
                        size_t start, const Spans& spans, torch::Tensor lp = {}, torch::Tensor ref = {},
                        torch::Tensor* shaping = nullptr, const std::vector<uint8_t>* keep = nullptr) {
  RewardInput in{r, program, start, spans, lp, ref, keep};
  Shaped out = chain.compute(in);
  if (shaping) *shaping = out.shaping;
  return out.rewards;
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

TEST(PpoRewardsTest, ErrorLinePenaltyIsShapingOnTheFirstErrorLineOfTheCompletion) {
  ErrorLineCase k;
  run::RewardConfig c;
  c.kl = false, c.outcome = false, c.error_lines = true;
  RewardChain chain = make_reward_chain(c, nullptr);
  auto r = result(Verdict::CompileError);
  r.diagnostics.push_back({4, 1, "error", "expected '}'", false});  // follows from line 3's error
  r.diagnostics.push_back({3, 10, "error", "'y' was not declared in this scope", false});
  r.diagnostics.push_back({1, 3, "error", "in the prompt", false});
  r.diagnostics.push_back({2, 7, "warning", "unused variable 'x'", false});
  r.diagnostics.push_back({0, 0, "error", "in the tests", true});
  torch::Tensor shaping;
  auto rw = run_chain(chain, r, k.prompt + k.completion, k.prompt.size(), k.spans, {}, {}, &shaping);  // (12)
  EXPECT_EQ(rw.abs().sum().item<float>(), 0.0f);  // nothing enters the returns
  for (int t = 0; t < 12; ++t)
    EXPECT_FLOAT_EQ(shaping[t].item<float>(), (t >= 6 && t <= 8) ? -0.3f : 0.0f) << "token " << t;

  auto crash = result(Verdict::RuntimeError);
  crash.tests.resize(1);
  crash.tests[0].crash_line = 4;
  run_chain(chain, crash, k.prompt + k.completion, k.prompt.size(), k.spans, {}, {}, &shaping);
  for (int t = 0; t < 12; ++t) EXPECT_FLOAT_EQ(shaping[t].item<float>(), t == 10 ? -0.3f : 0.0f) << "token " << t;
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
  // A token that FGO masks adds no KL to the returns of the executed tokens before it.
  const std::vector<uint8_t> keep{1, 0};
  rw = run_chain(chain, result(Verdict::Passed), "ab", 0, {{0, 1}, {1, 2}}, torch::tensor({-1.0f, -2.0f}),
                 torch::tensor({-1.5f, -1.0f}), nullptr, &keep);
  EXPECT_NEAR(rw[0].item<float>(), -0.05, 1e-6);
  EXPECT_EQ(rw[1].item<float>(), 0.0f);

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
  EXPECT_EQ(chain.describe(), "outcome -> adaptive -> kl -> error_lines");
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

TEST(PpoAdvantagesTest, GroupBaselineIsTheScoreMinusTheGroupMeanOnEveryToken) {
  // Two prompts x K=2, three positions; row 3's last position is padding.
  auto scores = torch::tensor({1.0f, -1.0f, 0.4f, 0.5f});
  auto valid = torch::tensor({1.0f, 1.0f, 1.0f,  1.0f, 1.0f, 1.0f,
                              1.0f, 1.0f, 1.0f,  1.0f, 1.0f, 0.0f}).view({4, 3});
  auto a = group_advantages(scores, valid, /*group=*/2);  // unscaled
  const float want[4][3] = {{1, 1, 1}, {-1, -1, -1}, {-0.05f, -0.05f, -0.05f}, {0.05f, 0.05f, 0}};
  for (int b = 0; b < 4; ++b)
    for (int t = 0; t < 3; ++t) EXPECT_NEAR(a[b][t].item<float>(), want[b][t], 1e-5) << b << "," << t;
  // Scaled by the std over rows of the centred scores {1, -1, -0.05, 0.05}.
  const double sd = std::sqrt((1 + 1 + 0.0025 + 0.0025) / 3.0);
  auto s = group_advantages(scores, valid, 2, /*std_floor=*/0.1);
  EXPECT_NEAR(s[0][1].item<float>(), 1.0 / sd, 1e-5);
  EXPECT_NEAR(s[3][0].item<float>(), 0.05 / sd, 1e-5);
  EXPECT_EQ(s[3][2].item<float>(), 0.0f);
}

TEST(PpoAdvantagesTest, TheStdFloorKeepsNearEqualScoresSmall) {
  auto valid = torch::ones({4, 2});
  // No group with a mixed outcome: exactly zero, not 0/0.
  auto same = group_advantages(torch::tensor({-0.3f, -0.3f, 1.0f, 1.0f}), valid, 2, 0.1);
  EXPECT_EQ(same.abs().sum().item<float>(), 0.0f);
  // Differences of 0.002 (a pass-ratio bonus, say) stay 0.01-sized under a 0.1 floor; without
  // it they would be scaled to a full unit.
  auto tiny = group_advantages(torch::tensor({0.001f, -0.001f, 0.001f, -0.001f}), valid, 2, 0.1);
  EXPECT_NEAR(tiny[0][0].item<float>(), 0.01, 1e-5);
  auto unfloored = group_advantages(torch::tensor({0.001f, -0.001f, 0.001f, -0.001f}), valid, 2, 1e-8);
  EXPECT_GT(unfloored[0][0].item<float>(), 0.8f);
  auto x = torch::tensor({0.0f, 2.0f, -2.0f, 50.0f});
  auto keep = torch::tensor({1.0f, 1.0f, 1.0f, 0.0f});
  auto sc = scale_by_std(x, keep);  // std of {0, 2, -2} is 2; zeros stay zero
  EXPECT_EQ(sc[0].item<float>(), 0.0f);
  EXPECT_NEAR(sc[1].item<float>(), 1.0, 1e-5);
  EXPECT_EQ(sc[3].item<float>(), 0.0f);
  EXPECT_NEAR(scale_by_std(x, keep, /*floor=*/4.0)[1].item<float>(), 0.5, 1e-5);
}

// A batch of two prompts x K=2 with three completion tokens each, as a rollout lays it out.
PpoBatch batch_of(const torch::Tensor& rewards, const torch::Tensor& shaping, const torch::Tensor& fgo_mask) {
  PpoBatch b;
  b.ids = torch::zeros({4, 4}, torch::kInt64);
  b.valid = torch::ones({4, 3});
  b.fgo_mask = fgo_mask;
  b.rewards = rewards, b.shaping = shaping;
  b.old_values = torch::zeros({4, 3});
  return b;
}

TEST(PpoAdvantagesTest, GroupAdvantageIgnoresPerTokenTermsAndAddsShapingOnItsTokensOnly) {
  run::PpoConfig c;
  c.advantage = "group", c.samples_per_prompt = 2, c.whiten_advantages = false;
  // Outcomes on the last token; rows 0 and 1 differ. The error-line shaping of row 1 sits on its
  // middle token only.
  auto rewards = torch::tensor({0.0f, 0.0f, 1.0f,  0.0f, 0.0f, -1.0f,
                                0.0f, 0.0f, -0.3f, 0.0f, 0.0f, -0.3f}).view({4, 3});
  auto shaping = torch::zeros({4, 3});
  shaping[1][1] = -0.3f;
  PpoBatch b = batch_of(rewards, shaping, torch::ones({4, 3}));
  prepare_advantages(b, c);
  const float want[4][3] = {{1, 1, 1}, {-1, -1.3f, -1}, {0, 0, 0}, {0, 0, 0}};
  for (int r = 0; r < 4; ++r)
    for (int t = 0; t < 3; ++t) EXPECT_NEAR(b.advantages[r][t].item<float>(), want[r][t], 1e-5) << r << "," << t;
}

TEST(PpoAdvantagesTest, TheKlOfAMaskedTokenDoesNotMoveTheExecutedTokensBeforeIt) {
  // Row 0's last token is unexecuted (FGO). However far its log-prob drifts from the
  // reference, the GAE advantages of the two executed tokens before it stay the same.
  run::RewardConfig rc;
  rc.kl_coef = 0.1;
  KlController kl(rc);
  RewardChain chain = make_reward_chain(rc, &kl);
  run::PpoConfig c;
  c.advantage = "gae", c.whiten_advantages = false, c.gamma = 1.0, c.lambda = 1.0;
  const std::vector<uint8_t> keep{1, 1, 0};
  auto advantages_with = [&](float drift) {
    auto rw = run_chain(chain, result(Verdict::Passed), "abc", 0, {{0, 1}, {1, 2}, {2, 3}},
                        torch::tensor({-1.0f, -1.0f, -1.0f + drift}), torch::tensor({-1.2f, -1.0f, -1.0f}),
                        nullptr, &keep);  // (3)
    PpoBatch b = batch_of(rw.repeat({4}).view({4, 3}), torch::Tensor(),
                          torch::tensor(std::vector<float>{1, 1, 0}).repeat({4}).view({4, 3}));
    prepare_advantages(b, c);
    return b.advantages[0];
  };
  auto calm = advantages_with(0.0f), drifted = advantages_with(3.0f);
  EXPECT_NEAR(calm[0].item<float>(), 1.0 - 0.02, 1e-5);  // outcome, minus token 0's own KL
  EXPECT_NEAR(drifted[0].item<float>(), calm[0].item<float>(), 1e-6);
  EXPECT_NEAR(drifted[1].item<float>(), calm[1].item<float>(), 1e-6);
}

TEST(PpoRolloutStatsTest, TheRandomMaskControlKeepsAsManyTokensElsewhere) {
  std::vector<run::JudgedEpisode> judged(2);
  judged[0].executed.assign(40, 0);
  std::fill(judged[0].executed.begin(), judged[0].executed.begin() + 10, 1);  // the first 10 ran
  judged[1].executed.assign(5, 1);
  auto shuffled = judged;
  randomize_masks(shuffled, /*seed=*/9);
  EXPECT_EQ(std::count(shuffled[0].executed.begin(), shuffled[0].executed.end(), 1), 10);
  EXPECT_NE(shuffled[0].executed, judged[0].executed);
  EXPECT_EQ(shuffled[1].executed, judged[1].executed);  // all kept: nothing to move
  auto again = judged;
  randomize_masks(again, 9);
  EXPECT_EQ(again[0].executed, shuffled[0].executed);
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
  EXPECT_TRUE(s.has("ppo.advantage_std_floor"));
  EXPECT_DOUBLE_EQ(c.advantage_std_floor, 0.1);
  Status st = s.load_text("ppo:\n  lambda: 0.9\n  rewards:\n    adaptive: true\n    failed: -0.5\n", "t.yaml");
  ASSERT_TRUE(st) << st.error();
  EXPECT_DOUBLE_EQ(c.lambda, 0.9);
  EXPECT_TRUE(c.rewards.adaptive);
  EXPECT_DOUBLE_EQ(c.rewards.failed, -0.5);
  EXPECT_FALSE(s.load_text("ppo:\n  clip: -1\n", "t.yaml"));
}

}  // namespace
}  // namespace stepcoder::trainer
