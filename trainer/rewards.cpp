// Reward terms and the chain that composes them (see rewards.h); the values come from run/reward.h.
#include "trainer/rewards.h"

#include <algorithm>
#include <cmath>

namespace stepcoder::trainer {

void OutcomeReward::apply(const RewardInput& in, torch::Tensor& rewards) {
  const int64_t T = rewards.size(0);
  if (T > 0) rewards[T - 1] += run::outcome_value(c_, in.result.verdict);
}

void AdaptiveReward::apply(const RewardInput& in, torch::Tensor& rewards) {
  const int64_t T = rewards.size(0);
  if (T > 0) rewards[T - 1] += run::adaptive_bonus(c_, in.result);
}

void ErrorLineReward::apply(const RewardInput& in, torch::Tensor& shaping) {
  auto acc = shaping.accessor<float, 1>();
  for (size_t t : run::error_line_tokens(in.result, in.program, in.completion_start, in.spans))
    if (static_cast<int64_t>(t) < shaping.size(0)) acc[static_cast<int64_t>(t)] -= static_cast<float>(penalty_);
}

KlController::KlController(const run::RewardConfig& c)
    : coef_(c.kl_coef), target_(c.kl_target), horizon_(c.kl_horizon), adaptive_(c.kl_adaptive) {}

void KlController::update(double observed_kl, int64_t completions) {
  if (!adaptive_ || !std::isfinite(observed_kl)) return;
  const double err = std::clamp(observed_kl / target_ - 1.0, -0.2, 0.2);
  coef_ *= 1.0 + err * static_cast<double>(completions) / static_cast<double>(horizon_);
}

void KlPenalty::apply(const RewardInput& in, torch::Tensor& rewards) {
  if (!in.logprobs.defined() || !in.ref_logprobs.defined()) return;
  auto kl = (in.logprobs - in.ref_logprobs).to(torch::kFloat32).cpu();  // (T)
  if (in.keep) {
    auto keep = torch::zeros_like(kl);
    auto k = keep.accessor<float, 1>();
    for (int64_t t = 0; t < keep.size(0) && t < static_cast<int64_t>(in.keep->size()); ++t) k[t] = (*in.keep)[t];
    kl = kl * keep;
  }
  rewards -= ctl_->coef() * kl;
}

RewardChain& RewardChain::add(std::unique_ptr<RewardTerm> t) {
  terms_.push_back(std::move(t));
  return *this;
}

Shaped RewardChain::compute(const RewardInput& in, std::map<std::string, double>* breakdown) {
  torch::NoGradGuard no_grad;
  const int64_t T = static_cast<int64_t>(in.spans.size());
  Shaped out{torch::zeros({T}, torch::kFloat32), torch::zeros({T}, torch::kFloat32)};
  for (auto& term : terms_) {
    torch::Tensor& into = term->placement() == Placement::Reward ? out.rewards : out.shaping;
    if (!breakdown) {
      term->apply(in, into);
      continue;
    }
    const double before = into.sum().item<double>();
    term->apply(in, into);
    (*breakdown)[term->name()] += into.sum().item<double>() - before;
  }
  return out;
}

void RewardChain::reset() {
  for (auto& t : terms_) t->reset();
}

std::string RewardChain::describe() const {
  std::string s;
  for (const auto& t : terms_) s += (s.empty() ? "" : " -> ") + t->name();
  return s.empty() ? "(none)" : s;
}

RewardChain make_reward_chain(const run::RewardConfig& c, const KlController* kl) {
  RewardChain chain;
  if (c.outcome) chain.add(std::make_unique<OutcomeReward>(c));
  if (c.adaptive) chain.add(std::make_unique<AdaptiveReward>(c));
  if (c.kl && kl) chain.add(std::make_unique<KlPenalty>(kl));
  if (c.error_lines) chain.add(std::make_unique<ErrorLineReward>(c.error_line_penalty));
  return chain;
}

bool kl_in_loss(const run::PpoConfig& c) { return c.advantage == "group"; }

}  // namespace stepcoder::trainer
