// Reward shaping as a chain of small terms over one completion's tokens: CodeRL outcome
// (sequence reward on the last token), RLTF adaptive pass-ratio bonus, per-token KL penalty
// with a fixed or adaptive coefficient, and RLTF's error-line penalty. The values are
// run/reward.h's, which replay computes too; the chain places them on tokens.
//
// Each term has a placement. Rewards feed the advantage estimator (returns-to-go or the group
// baseline). Shaping is added to the advantages afterwards, on its own tokens only: the
// error-line penalty is RLTF's token-level signal for the line that broke, and as a reward it
// would enter the return of every earlier token (a 12-token line would outweigh a compile error).
//
//   KlController kl(cfg.rewards);
//   RewardChain chain = make_reward_chain(cfg.rewards, kl_in_rewards ? &kl : nullptr);
//   RewardInput in{result, program, prompt.size(), spans, logprobs, ref_logprobs, &fgo_mask};
//   Shaped s = chain.compute(in);    // s.rewards, s.shaping: (T) float, one per completion token
//   kl.update(mean_kl_per_completion, completions);   // after each rollout
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "run/ppo_config.h"
#include "run/reward.h"
#include "sandbox/judge.h"

namespace stepcoder::trainer {

// What the terms see of one judged completion. Token spans are [begin, end) byte offsets in
// the completion, which starts at `completion_start` in `program`.
struct RewardInput {
  const sandbox::JudgeResult& result;
  const std::string& program;
  size_t completion_start = 0;
  const std::vector<std::pair<size_t, size_t>>& spans;  // T entries
  torch::Tensor logprobs;      // (T) under the sampling policy; may be undefined without KL
  torch::Tensor ref_logprobs;  // (T) under the reference policy
  const std::vector<uint8_t>* keep = nullptr;  // (T) FGO mask; null keeps every token
};

enum class Placement { Reward, Shaping };

// A chain's output for one completion.
struct Shaped {
  torch::Tensor rewards;  // (T) into the returns / the group baseline
  torch::Tensor shaping;  // (T) added to the advantages of the same tokens
};

class RewardTerm {
 public:
  virtual ~RewardTerm() = default;
  // Adds this term's contribution to `out` (T): rewards or shaping, as placement() says.
  virtual void apply(const RewardInput& in, torch::Tensor& out) = 0;
  virtual void reset() {}
  virtual std::string name() const = 0;
  virtual Placement placement() const { return Placement::Reward; }
};

// Sequence reward from the verdict, on the last token.
class OutcomeReward : public RewardTerm {
 public:
  explicit OutcomeReward(const run::RewardConfig& c) : c_(c) {}
  void apply(const RewardInput& in, torch::Tensor& rewards) override;
  std::string name() const override { return "outcome"; }

 private:
  run::RewardConfig c_;
};

// RLTF adaptive: a failed program gains scale * pass_ratio on the last token.
class AdaptiveReward : public RewardTerm {
 public:
  explicit AdaptiveReward(const run::RewardConfig& c) : c_(c) {}
  void apply(const RewardInput& in, torch::Tensor& rewards) override;
  std::string name() const override { return "adaptive"; }

 private:
  run::RewardConfig c_;
};

// RLTF fine-grained: -penalty, as shaping, on each token whose first non-blank byte lies on the
// first completion line named by an error diagnostic (outside the tests) or by a crash.
class ErrorLineReward : public RewardTerm {
 public:
  explicit ErrorLineReward(double penalty) : penalty_(penalty) {}
  void apply(const RewardInput& in, torch::Tensor& shaping) override;
  std::string name() const override { return "error_lines"; }
  Placement placement() const override { return Placement::Shaping; }

 private:
  double penalty_;
};

// KL coefficient: fixed, or moved towards a target KL per completion.
class KlController {
 public:
  explicit KlController(const run::RewardConfig& c);
  double coef() const { return coef_; }
  // After a rollout: observed mean KL per completion over `completions` completions.
  void update(double observed_kl, int64_t completions);

 private:
  double coef_, target_;
  int64_t horizon_;
  bool adaptive_;
};

// -coef * (logp - logp_ref) on every kept token. A token that FGO masks gets no policy gradient,
// so its KL must not enter the returns of the executed tokens before it either.
class KlPenalty : public RewardTerm {
 public:
  explicit KlPenalty(const KlController* ctl) : ctl_(ctl) {}
  void apply(const RewardInput& in, torch::Tensor& rewards) override;
  std::string name() const override { return "kl"; }

 private:
  const KlController* ctl_;
};

class RewardChain {
 public:
  RewardChain& add(std::unique_ptr<RewardTerm> t);
  // Zeros (T) plus every term in order. `breakdown` (optional) accumulates each term's sum by name.
  Shaped compute(const RewardInput& in, std::map<std::string, double>* breakdown = nullptr);
  void reset();
  std::string describe() const;  // "outcome -> adaptive -> kl"
  size_t size() const { return terms_.size(); }

 private:
  std::vector<std::unique_ptr<RewardTerm>> terms_;
};

// The terms switched on in `c`; `kl` must outlive the chain (null leaves out the KL term, as
// with the group baseline, where the KL is a loss term: see kl_in_loss).
RewardChain make_reward_chain(const run::RewardConfig& c, const KlController* kl);

// Whether the KL against the reference is a loss term rather than a per-token reward: with
// ppo.advantage: group, whose outcome-only advantage has no per-token part to carry it.
bool kl_in_loss(const run::PpoConfig& c);

}  // namespace stepcoder::trainer
