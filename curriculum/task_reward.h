// The task reward of a judged completion on plain doubles: what trainer/rewards.h's chain adds
// up without its KL term (CodeRL outcome, RLTF adaptive pass-ratio bonus, RLTF error-line
// penalty). `stepcoder replay` recomputes stored rewards with it without linking LibTorch; a
// test checks it against the trainer's chain for the same inputs.
//
//   RewardParams rp;  rp.adaptive = true;               // mirrors ppo.rewards.*
//   double r = task_reward(rp, result, program, prompt.size(), token_spans);
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sandbox/judge.h"

namespace stepcoder::curriculum {

// The keys of ppo.rewards that shape the task reward, with the trainer's defaults.
struct RewardParams {
  bool outcome = true;
  double compile_error = -1.0;
  double runtime_error = -0.6;  // also timeout, memory/output limit, violation
  double failed = -0.3;
  double passed = 1.0;
  bool adaptive = false;
  double adaptive_scale = 1.3;
  bool error_lines = false;
  double error_line_penalty = 0.3;
};

// Token spans are [begin, end) byte offsets in the completion, which starts at
// `completion_start` in `program`. No tokens: no reward (the chain has no token to put it on).
double task_reward(const RewardParams& p, const sandbox::JudgeResult& result, const std::string& program,
                   size_t completion_start, const std::vector<std::pair<size_t, size_t>>& spans);

// Token spans from the episode store's token_ends column ("3,7,12"), padded to `tokens` with
// empty spans at the end of the completion (the trainer pads spans cut short by a stop string).
std::vector<std::pair<size_t, size_t>> spans_from_ends(const std::string& token_ends, int tokens,
                                                       size_t completion_size);

}  // namespace stepcoder::curriculum
