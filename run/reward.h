// The task reward of a judged completion, written once: the configuration (ppo.rewards.*) and
// the arithmetic on plain numbers. The trainer places these values on tokens and adds its KL
// term (trainer/rewards.h); `stepcoder replay` recomputes stored rewards with the same code,
// without LibTorch.
//
//   RewardConfig rc;  rc.adaptive = true;                       // ppo.rewards.*
//   double outcome = outcome_value(rc, result.verdict);        // CodeRL table
//   double bonus = adaptive_bonus(rc, result);                 // RLTF pass-ratio bonus
//   std::vector<size_t> bad = error_line_tokens(result, program, prompt.size(), spans);
//   double r = task_reward(rc, result, program, prompt.size(), spans);   // all of it, summed
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sandbox/judge.h"

namespace stepcoder {
class ConfigSchema;
}

namespace stepcoder::run {

struct RewardConfig {
  // CodeRL / StepCoder outcome table.
  bool outcome = true;
  double compile_error = -1.0;
  double runtime_error = -0.6;  // also timeout, memory, output limit, policy violation
  double failed = -0.3;
  double passed = 1.0;
  // RLTF adaptive: a failed program earns adaptive_scale * pass_ratio on top of `failed`.
  bool adaptive = false;
  double adaptive_scale = 1.3;
  // RLTF fine-grained: penalty on tokens of lines a compiler error or a crash points at.
  bool error_lines = false;
  double error_line_penalty = 0.3;
  // Per-token KL penalty against the reference policy: -kl_coef * (logp - logp_ref).
  bool kl = true;
  double kl_coef = 0.05;
  bool kl_adaptive = false;     // adjust kl_coef towards kl_target (Ziegler et al. 2019)
  double kl_target = 6.0;       // summed KL per completion
  int64_t kl_horizon = 10000;   // completions over which the coefficient may move by e^0.2
};

void describe(RewardConfig& c, ConfigSchema& schema, const std::string& prefix = "ppo.rewards");

// Token spans are [begin, end) byte offsets in the completion, which starts at
// `completion_start` in `program`.
using Spans = std::vector<std::pair<size_t, size_t>>;

// The sequence reward of a verdict (the outcome table).
double outcome_value(const RewardConfig& c, sandbox::Verdict v);
// RLTF adaptive: scale * pass_ratio for a failed program, 0 otherwise (and when switched off).
double adaptive_bonus(const RewardConfig& c, const sandbox::JudgeResult& result);
// 1-based program line of each token's first non-blank byte; 0 for blank tokens.
std::vector<int> token_lines(const std::string& program, size_t completion_start, const Spans& spans);
// The tokens that RLTF's error-line penalty hits: those whose line an error diagnostic (outside
// the tests) or a crash names. Blank tokens are spared.
std::vector<size_t> error_line_tokens(const sandbox::JudgeResult& result, const std::string& program,
                                      size_t completion_start, const Spans& spans);
// Everything but the KL term, summed over the completion's tokens. No tokens: no reward (there
// is no token to put it on).
double task_reward(const RewardConfig& c, const sandbox::JudgeResult& result, const std::string& program,
                   size_t completion_start, const Spans& spans);

// Token spans from the episode store's token_ends column ("3,7,12"), padded to `tokens` with
// empty spans at the end of the completion (the trainer pads spans cut short by a stop string).
Spans spans_from_ends(const std::string& token_ends, int tokens, size_t completion_size);

}  // namespace stepcoder::run
