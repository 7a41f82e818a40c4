// The task reward of a judged completion, written once: the arithmetic on a verdict, its pass
// ratio and the lines it names (the keys are run/reward_config.h). The trainer places these
// values on tokens and adds its KL term (trainer/rewards.h); `stepcoder replay` recomputes
// stored rewards with the same code, without LibTorch.
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

#include "run/episode_codec.h"
#include "run/reward_config.h"
#include "sandbox/judge.h"

namespace stepcoder::run {

// The sequence reward of a verdict (the outcome table).
double outcome_value(const RewardConfig& c, sandbox::Verdict v);
// RLTF adaptive: scale * pass_ratio for a failed program, 0 otherwise (and when switched off).
double adaptive_bonus(const RewardConfig& c, const sandbox::JudgeResult& result);
// 1-based program line of each token's first non-blank byte; 0 for blank tokens.
std::vector<int> token_lines(const std::string& program, size_t completion_start, const Spans& spans);
// The tokens that RLTF's error-line penalty hits: those on the first line of the completion that
// an error diagnostic (outside the tests) or a crash names. Blank tokens are spared.
std::vector<size_t> error_line_tokens(const sandbox::JudgeResult& result, const std::string& program,
                                      size_t completion_start, const Spans& spans);
// Everything but the KL term, summed over the completion's tokens: the outcome, the adaptive
// bonus and the error-line penalty (which the trainer adds to advantages, not to rewards). No
// tokens: no reward (there is no token to put it on).
double task_reward(const RewardConfig& c, const sandbox::JudgeResult& result, const std::string& program,
                   size_t completion_start, const Spans& spans);

}  // namespace stepcoder::run
