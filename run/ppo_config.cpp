// PPO configuration: key declarations for the schema (see ppo_config.h).
#include "run/ppo_config.h"

namespace stepcoder::run {

void describe(PpoConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".prompts_per_step", &c.prompts_per_step, "problems sampled per PPO step").range(1, 1e6);
  s.add(p + ".samples_per_prompt", &c.samples_per_prompt, "completions sampled per problem (K)").range(1, 1e4);
  s.add(p + ".advantage", &c.advantage,
        "gae: GAE over the value head, the KL a per-token reward; group: each sample's score minus the mean of the prompt's K samples on every token (no critic), the KL a loss term")
      .choices({"gae", "group"});
  s.add(p + ".gamma", &c.gamma, "discount of GAE").range(0, 1);
  s.add(p + ".lambda", &c.lambda, "lambda of GAE").range(0, 1);
  s.add(p + ".whiten_advantages", &c.whiten_advantages, "normalize advantages over the kept tokens (group: over the samples)");
  s.add(p + ".advantage_std_floor", &c.advantage_std_floor,
        "the smallest std that whitening divides by, so a batch of near-equal outcomes is not blown up to a full-size update")
      .range(1e-8, 1e6);
  s.add(p + ".clip", &c.clip, "clip range of the policy ratio").range(0, 10);
  s.add(p + ".value_clip", &c.value_clip, "clip range of values around the old values; 0 = off").range(0, 1e6);
  s.add(p + ".value_coef", &c.value_coef, "weight of the value loss").range(0, 1e3);
  s.add(p + ".entropy_coef", &c.entropy_coef, "weight of the entropy bonus").range(0, 10);
  s.add(p + ".epochs", &c.epochs, "optimization passes over each rollout").range(1, 1000);
  s.add(p + ".minibatch_size", &c.minibatch_size, "completions per gradient step").range(1, 1e6);
  s.add(p + ".lr", &c.lr, "learning rate (AdamW)").range(0, 10);
  s.add(p + ".grad_clip", &c.grad_clip, "global gradient norm clip; 0 = off").range(0, 1e6);
  s.add(p + ".max_kl", &c.max_kl, "early stop: no further epochs once an epoch's mean approx KL to the sampling policy exceeds this; 0 = off").range(0, 1e3);
  s.add(p + ".fgo", &c.fgo, "fine-grained optimization: drop tokens no test executed from the policy loss");
  s.add(p + ".fgo_random", &c.fgo_random,
        "control (with fgo): replace each completion's mask by a random one that keeps as many tokens");
  s.add(p + ".sft_coef", &c.sft_coef,
        "supervised term (RLTF, CodeRL): weight of the cross-entropy of reference solutions of training problems added to every minibatch's loss; 0 = off")
      .range(0, 1e3);
  s.add(p + ".sft_batch", &c.sft_batch, "reference solutions drawn for that term per minibatch").range(1, 1e6);
  describe(c.rewards, s, p + ".rewards");
}

}  // namespace stepcoder::run
