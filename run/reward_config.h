// The task reward's configuration (ppo.rewards.*): the CodeRL outcome table, RLTF's adaptive
// pass-ratio bonus and error-line penalty, and the KL term the trainer adds. Plain structs; the
// arithmetic is run/reward.h.
//
//   RewardConfig rc;  describe(rc, schema);   // ppo.rewards.*
#pragma once

#include <cstdint>
#include <string>

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

}  // namespace stepcoder::run
