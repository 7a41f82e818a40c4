// The task reward's configuration keys (see reward_config.h).
#include "run/reward_config.h"

#include "util/config.h"

namespace stepcoder::run {

void describe(RewardConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".outcome", &c.outcome, "outcome reward by verdict on the last token (CodeRL)");
  s.add(p + ".compile_error", &c.compile_error, "reward of a compile error").range(-100, 100);
  s.add(p + ".runtime_error", &c.runtime_error, "reward of a crash, timeout, memory/output limit or violation").range(-100, 100);
  s.add(p + ".failed", &c.failed, "reward when some test failed").range(-100, 100);
  s.add(p + ".passed", &c.passed, "reward when every test passed").range(-100, 100);
  s.add(p + ".adaptive", &c.adaptive, "RLTF adaptive: failed programs earn adaptive_scale * pass_ratio more");
  s.add(p + ".adaptive_scale", &c.adaptive_scale, "weight of the pass ratio in the adaptive reward").range(0, 100);
  s.add(p + ".error_lines", &c.error_lines, "RLTF fine-grained: penalize tokens on error or crash lines");
  s.add(p + ".error_line_penalty", &c.error_line_penalty, "penalty per token on such a line").range(0, 100);
  s.add(p + ".kl", &c.kl, "per-token KL penalty against the reference policy");
  s.add(p + ".kl_coef", &c.kl_coef, "KL coefficient (initial value when adaptive)").range(0, 100);
  s.add(p + ".kl_adaptive", &c.kl_adaptive, "move kl_coef so the KL per completion tracks kl_target");
  s.add(p + ".kl_target", &c.kl_target, "target KL per completion (nats)").range(1e-6, 1e6);
  s.add(p + ".kl_horizon", &c.kl_horizon, "completions over which kl_coef may change by e^0.2").range(1, 1e12);
}

}  // namespace stepcoder::run
