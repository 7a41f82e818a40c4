// Generalized advantage estimation over per-token rewards and values of right-padded
// completions, the group baseline over sequence scores, and scaling by a floored std over the
// tokens the policy loss keeps (FGO).
//
//   Gae g = compute_gae(rewards, values, valid, /*gamma=*/1.0, /*lambda=*/0.95);  // all (B, T)
//   auto adv = whiten(g.advantages, valid * fgo_mask, /*floor=*/0.1);
//   auto grpo = group_advantages(scores, valid, K, /*floor=*/0.1);   // ppo.advantage: group
#pragma once

#include <torch/torch.h>

namespace stepcoder::trainer {

struct Gae {
  torch::Tensor advantages;  // (B, T), 0 on padding
  torch::Tensor returns;     // (B, T) advantages + values, the value targets; 0 on padding
};

// rewards, values, valid: (B, T); valid is 1 on real tokens, which precede the padding of each
// row. The value after a row's last real token is 0 (the episode ends there).
Gae compute_gae(const torch::Tensor& rewards, const torch::Tensor& values, const torch::Tensor& valid,
                double gamma, double lambda);

// The outcome-only group advantage (GRPO, RLOO): each row's score (B) minus the mean score of
// its group (rows g*group .. g*group+group-1 are the samples of one prompt; B divisible by
// group), divided by max(std over rows, std_floor) when std_floor >= 0 (no scaling when < 0),
// and broadcast over the row's valid tokens (B, T). Every token of a completion gets the same
// advantage; a prompt whose samples all score the same gets exactly zero, and the floor keeps
// a batch of near-equal scores from being blown up to a full-size update.
torch::Tensor group_advantages(const torch::Tensor& scores, const torch::Tensor& valid, int64_t group,
                               double std_floor = -1);

// x / max(std, floor) with std over the entries where keep is 1 (no centering: zeros stay zero).
torch::Tensor scale_by_std(const torch::Tensor& x, const torch::Tensor& keep, double floor = 1e-8);

// (x - mean) / max(std, floor) with mean and std over the entries where keep is 1; 0 elsewhere.
// With fewer than two kept entries only the mean is removed.
torch::Tensor whiten(const torch::Tensor& x, const torch::Tensor& keep, double floor = 1e-8);

}  // namespace stepcoder::trainer
