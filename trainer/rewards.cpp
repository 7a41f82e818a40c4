// Reward terms and the chain that composes them (see rewards.h).
#include "trainer/rewards.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace stepcoder::trainer {

using sandbox::Verdict;

double OutcomeReward::value(Verdict v) const {
  switch (v) {
    case Verdict::Passed: return c_.passed;
    case Verdict::Failed: return c_.failed;
    case Verdict::CompileError: return c_.compile_error;
    case Verdict::RuntimeError:
    case Verdict::Timeout:
    case Verdict::MemoryLimit:
    case Verdict::OutputLimit:
    case Verdict::Violation: return c_.runtime_error;
  }
  return c_.compile_error;
}

void OutcomeReward::apply(const RewardInput& in, torch::Tensor& rewards) {
  const int64_t T = rewards.size(0);
  if (T > 0) rewards[T - 1] += value(in.result.verdict);
}

void AdaptiveReward::apply(const RewardInput& in, torch::Tensor& rewards) {
  const int64_t T = rewards.size(0);
  if (T > 0 && in.result.verdict == Verdict::Failed)
    rewards[T - 1] += scale_ * std::clamp(in.result.pass_ratio, 0.0, 1.0);
}

std::vector<int> token_lines(const std::string& program, size_t completion_start,
                             const std::vector<std::pair<size_t, size_t>>& spans) {
  // Line starts of the program, so each byte offset maps to its line by binary search.
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < program.size(); ++i)
    if (program[i] == '\n') starts.push_back(i + 1);
  std::vector<int> lines(spans.size(), 0);
  for (size_t t = 0; t < spans.size(); ++t) {
    const size_t b = completion_start + spans[t].first;
    const size_t e = std::min(program.size(), completion_start + spans[t].second);
    for (size_t i = b; i < e; ++i) {
      const char ch = program[i];
      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') continue;
      lines[t] = static_cast<int>(std::upper_bound(starts.begin(), starts.end(), i) - starts.begin());
      break;
    }
  }
  return lines;
}

void ErrorLineReward::apply(const RewardInput& in, torch::Tensor& rewards) {
  std::set<int> bad;
  for (const auto& d : in.result.diagnostics)
    if (d.severity == "error" && !d.in_tests && d.line > 0) bad.insert(d.line);
  for (const auto& t : in.result.tests)
    if (t.crash_line > 0) bad.insert(t.crash_line);
  if (bad.empty()) return;
  const auto lines = token_lines(in.program, in.completion_start, in.spans);
  const int64_t T = std::min<int64_t>(rewards.size(0), static_cast<int64_t>(lines.size()));
  auto acc = rewards.accessor<float, 1>();
  for (int64_t t = 0; t < T; ++t)
    if (lines[t] > 0 && bad.count(lines[t])) acc[t] -= static_cast<float>(penalty_);
}

KlController::KlController(const RewardConfig& c)
    : coef_(c.kl_coef), target_(c.kl_target), horizon_(c.kl_horizon), adaptive_(c.kl_adaptive) {}

void KlController::update(double observed_kl, int64_t completions) {
  if (!adaptive_ || !std::isfinite(observed_kl)) return;
  const double err = std::clamp(observed_kl / target_ - 1.0, -0.2, 0.2);
  coef_ *= 1.0 + err * static_cast<double>(completions) / static_cast<double>(horizon_);
}

void KlPenalty::apply(const RewardInput& in, torch::Tensor& rewards) {
  if (!in.logprobs.defined() || !in.ref_logprobs.defined()) return;
  auto kl = (in.logprobs - in.ref_logprobs).to(torch::kFloat32).cpu();  // (T)
  rewards -= ctl_->coef() * kl;
}

RewardChain& RewardChain::add(std::unique_ptr<RewardTerm> t) {
  terms_.push_back(std::move(t));
  return *this;
}

torch::Tensor RewardChain::compute(const RewardInput& in, std::map<std::string, double>* breakdown) {
  torch::NoGradGuard no_grad;
  auto rewards = torch::zeros({static_cast<int64_t>(in.spans.size())}, torch::kFloat32);  // (T)
  for (auto& term : terms_) {
    if (!breakdown) {
      term->apply(in, rewards);
      continue;
    }
    const double before = rewards.sum().item<double>();
    term->apply(in, rewards);
    (*breakdown)[term->name()] += rewards.sum().item<double>() - before;
  }
  return rewards;
}

void RewardChain::reset() {
  for (auto& t : terms_) t->reset();
}

std::string RewardChain::describe() const {
  std::string s;
  for (const auto& t : terms_) s += (s.empty() ? "" : " -> ") + t->name();
  return s.empty() ? "(none)" : s;
}

RewardChain make_reward_chain(const RewardConfig& c, const KlController* kl) {
  RewardChain chain;
  if (c.outcome) chain.add(std::make_unique<OutcomeReward>(c));
  if (c.adaptive) chain.add(std::make_unique<AdaptiveReward>(c.adaptive_scale));
  if (c.error_lines) chain.add(std::make_unique<ErrorLineReward>(c.error_line_penalty));
  if (c.kl && kl) chain.add(std::make_unique<KlPenalty>(kl));
  return chain;
}

}  // namespace stepcoder::trainer
