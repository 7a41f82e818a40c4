// Configuration of the PPO stage: reward shaping (ppo.rewards, declared in run/reward_config.h), GAE,
// the clipped losses and the FGO mask. Plain structs, no LibTorch.
//
//   PpoConfig cfg;  ConfigSchema schema;
//   describe(cfg, schema, "ppo");                 // ppo.* and ppo.rewards.*
//   if (Status st = schema.load_file("run.yaml"); !st) die(st.error());
#pragma once

#include <cstdint>
#include <string>

#include "run/reward_config.h"
#include "util/config.h"

namespace stepcoder::run {

struct PpoConfig {
  int prompts_per_step = 8;
  int samples_per_prompt = 4;   // K completions of each prompt
  // "gae" (value baseline, KL in the rewards) or "group" (outcome minus the mean of the prompt's
  // K samples, on every token; KL as a loss term).
  std::string advantage = "gae";
  double gamma = 1.0;
  double lambda = 0.95;
  bool whiten_advantages = true;
  double advantage_std_floor = 0.1;  // whitening divides by max(std, this); 0.1 is a third of the
                                     // smallest gap in the outcome table
  double clip = 0.2;            // policy ratio clip
  double value_clip = 0.2;      // value clip around the old values; 0 = unclipped
  double value_coef = 0.5;
  double entropy_coef = 0.0;
  int epochs = 2;               // optimization passes over one rollout
  int minibatch_size = 8;       // completions per gradient step
  double lr = 1e-5;
  double grad_clip = 1.0;       // global norm; 0 = off
  double max_kl = 0.0;          // stop the epochs once an epoch's mean approx KL exceeds it; 0 = off
  bool fgo = true;              // mask tokens of statements no test executed
  // A control for FGO: each completion's mask is replaced by a random one that keeps as many
  // tokens (is it the mask, or only that fewer tokens count?).
  bool fgo_random = false;
  // Supervised term (RLTF's L_sl, CodeRL's mixed objective): every minibatch's loss adds
  // sft_coef x the cross-entropy of sft_batch reference solutions of training problems.
  double sft_coef = 0.0;        // 0 = off
  int sft_batch = 4;
  RewardConfig rewards;
};

void describe(PpoConfig& c, ConfigSchema& schema, const std::string& prefix = "ppo");

}  // namespace stepcoder::run
