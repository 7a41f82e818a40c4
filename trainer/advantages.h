// Generalized advantage estimation over per-token rewards and values of right-padded
// completions, and advantage whitening over the tokens the policy loss keeps (FGO).
//
//   Gae g = compute_gae(rewards, values, valid, /*gamma=*/1.0, /*lambda=*/0.95);  // all (B, T)
//   auto adv = whiten(g.advantages, valid * fgo_mask);
//   auto grpo = scale_by_std(group_advantages(rewards, valid, K), valid * fgo_mask);  // ppo.advantage: group
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

// Reward-to-go of each token minus the mean total return of the row's group: rows
// g*group .. g*group+group-1 are the samples of one prompt (B divisible by group). A prompt whose
// samples all earn the same gets (up to per-token terms) zero advantage, so only differences
// between samples of one prompt move the policy; no value estimate is needed.
torch::Tensor group_advantages(const torch::Tensor& rewards, const torch::Tensor& valid, int64_t group);

// x / (std + eps) with std over the entries where keep is 1 (no centering: zeros stay zero).
torch::Tensor scale_by_std(const torch::Tensor& x, const torch::Tensor& keep, double eps = 1e-8);

// (x - mean) / (std + eps) with mean and std over the entries where keep is 1; 0 elsewhere.
// With fewer than two kept entries only the mean is removed.
torch::Tensor whiten(const torch::Tensor& x, const torch::Tensor& keep, double eps = 1e-8);

}  // namespace stepcoder::trainer
