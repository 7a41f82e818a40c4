// The PPO objective with fine-grained optimization: clipped surrogate policy loss over the
// tokens the tests executed (FGO mask), clipped value loss over every completion token,
// entropy bonus; and one optimization phase (epochs x minibatches) over a rollout's batch.
//
//   prepare_advantages(batch, cfg);                        // GAE or group baseline, + shaping
//   auto s = model::score_sequences(policy, batch.ids, temperature);
//   PpoLoss l = ppo_loss(s.logprobs, s.values, s.entropy, batch, cfg, kl_coef);
//   l.total.backward();                                    // l.clip_fraction, l.approx_kl, ...
#pragma once

#include <torch/torch.h>

#include "model/transformer.h"
#include "run/ppo_config.h"
#include "trainer/sft_data.h"
#include "util/expected.h"

namespace stepcoder::trainer {

// Sequences and per-position tensors; position i stands for the token ids[:, i + 1].
struct PpoBatch {
  torch::Tensor ids;           // (B, L) int64: prompt + completion, right-padded
  torch::Tensor valid;         // (B, L-1) 1 where ids[:, i+1] is a completion token
  torch::Tensor fgo_mask;      // (B, L-1) 1 where that token was executed (all 1 without FGO)
  torch::Tensor old_logprobs;  // (B, L-1) behaviour policy, at the sampling temperature
  torch::Tensor old_values;    // (B, L-1)
  torch::Tensor ref_logprobs;  // (B, L-1) reference policy (KL)
  torch::Tensor rewards;       // (B, L-1) into the returns (group: summed into the row's score)
  torch::Tensor shaping;       // (B, L-1) added to the advantages (the error-line penalty); may be undefined
  torch::Tensor advantages;    // (B, L-1) from prepare_advantages
  torch::Tensor returns;       // (B, L-1) value targets

  int64_t size() const { return ids.defined() ? ids.size(0) : 0; }
  // The rows `index` (int64 (n)) of every tensor, moved to `device`.
  PpoBatch select(const torch::Tensor& index, torch::Device device) const;
};

// Fills advantages and returns. gae: GAE over valid tokens, whitened over valid * fgo_mask.
// group: each row's summed reward minus its group's mean, scaled by the std over rows, on every
// valid token. Either way the floor is c.advantage_std_floor, and the shaping is added last.
void prepare_advantages(PpoBatch& b, const run::PpoConfig& c);

struct PpoLoss {
  torch::Tensor total;    // policy + value_coef * value - entropy_coef * entropy + kl_coef * kl
  torch::Tensor policy;   // clipped surrogate, mean over kept tokens
  torch::Tensor value;    // clipped squared error, mean over valid tokens
  torch::Tensor entropy;  // mean over kept tokens
  torch::Tensor kl;       // KL(policy || reference), k3 estimator, mean over valid tokens; 0 when kl_coef is 0
  double clip_fraction = 0;  // kept tokens whose ratio left [1 - clip, 1 + clip]
  double approx_kl = 0;      // mean over kept tokens of (r - 1) - log r, r = p_new / p_old
  double kept_fraction = 0;  // kept / valid tokens
};

// logprobs, values, entropy: (B, L-1) under the current policy (with gradients). Tokens with
// fgo_mask 0 contribute exactly zero to the policy and entropy terms and their gradients. The
// KL term (kl_coef > 0, the group baseline's) counts every valid token: FGO withholds reward
// from unexecuted code, not the pull towards the reference.
PpoLoss ppo_loss(const torch::Tensor& logprobs, const torch::Tensor& values, const torch::Tensor& entropy,
                 const PpoBatch& b, const run::PpoConfig& c, double kl_coef = 0);

struct PpoUpdateStats {
  int64_t steps = 0;  // optimizer steps
  double policy_loss = 0, value_loss = 0, entropy = 0;  // means over steps
  double clip_fraction = 0, approx_kl = 0, kept_fraction = 0, grad_norm = 0;
  double sft_loss = 0;  // mean supervised cross-entropy; 0 without the term
  double kl_loss = 0;   // mean KL loss term (per token); 0 without it
  // Norms of the gradients of the PPO objective and of sft_coef x the supervised term, and
  // their cosine (does the supervised term pull along or against?); the last two 0 without it.
  double grad_norm_policy = 0, grad_norm_sft = 0, grad_cosine = 0;
  int epochs = 0;     // epochs run: fewer than cfg.epochs when max_kl stopped them
};

// cfg.epochs passes over the batch (advantages prepared) in shuffled minibatches of
// cfg.minibatch_size rows; with cfg.max_kl > 0 no further pass starts once a pass's mean
// approx KL exceeds it. With cfg.sft_coef > 0 and `sft` given, every minibatch's loss adds
// sft_coef x the cross-entropy of cfg.sft_batch examples of `sft` drawn from `seed`. kl_coef
// weighs ppo_loss's KL term. LibTorch errors come back as an Error.
Expected<PpoUpdateStats> ppo_update(model::Transformer& policy, torch::optim::Optimizer& opt,
                                    const PpoBatch& batch, const run::PpoConfig& c, double temperature,
                                    uint64_t seed, const SftData* sft = nullptr, double kl_coef = 0);

}  // namespace stepcoder::trainer
