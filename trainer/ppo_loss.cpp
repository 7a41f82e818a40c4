// PPO loss with the FGO mask and the update loop (see ppo_loss.h).
#include "trainer/ppo_loss.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>

#include "trainer/advantages.h"
#include "util/seed.h"

namespace stepcoder::trainer {

PpoBatch PpoBatch::select(const torch::Tensor& index, torch::Device device) const {
  auto pick = [&](const torch::Tensor& t) {
    return t.defined() ? t.index_select(0, index.to(t.device())).to(device) : t;
  };
  PpoBatch out;
  out.ids = pick(ids), out.valid = pick(valid), out.fgo_mask = pick(fgo_mask);
  out.old_logprobs = pick(old_logprobs), out.old_values = pick(old_values);
  out.ref_logprobs = pick(ref_logprobs), out.rewards = pick(rewards), out.shaping = pick(shaping);
  out.advantages = pick(advantages), out.returns = pick(returns);
  return out;
}

void prepare_advantages(PpoBatch& b, const run::PpoConfig& c) {
  Gae g = compute_gae(b.rewards, b.old_values, b.valid, c.gamma, c.lambda);
  b.returns = g.returns;  // the value head learns in either mode
  if (c.advantage == "group") {
    const double floor = c.whiten_advantages ? c.advantage_std_floor : -1.0;
    b.advantages = group_advantages((b.rewards * b.valid).sum(1), b.valid, c.samples_per_prompt, floor);
  } else {
    const auto keep = b.valid * b.fgo_mask;
    b.advantages = c.whiten_advantages ? whiten(g.advantages, keep, c.advantage_std_floor) : g.advantages;
  }
  if (b.shaping.defined()) b.advantages = b.advantages + b.shaping * b.valid;
}

PpoLoss ppo_loss(const torch::Tensor& logprobs, const torch::Tensor& values, const torch::Tensor& entropy,
                 const PpoBatch& b, const run::PpoConfig& c, double kl_coef) {
  auto valid = b.valid.to(torch::kFloat32);                      // (B, T)
  auto keep_f = valid * b.fgo_mask.to(torch::kFloat32);          // (B, T)
  auto keep = keep_f > 0.5;                                      // (B, T) bool
  const auto n_keep = keep_f.sum().clamp_min(1.0);               // ()
  const auto n_valid = valid.sum().clamp_min(1.0);               // ()
  auto zeros = torch::zeros_like(logprobs);

  // Policy: torch::where (not a product) so a masked token's inf/nan ratio cannot leak into
  // the gradient; its gradient is exactly zero.
  auto log_ratio = torch::where(keep, logprobs - b.old_logprobs, zeros);  // (B, T)
  auto ratio = log_ratio.exp();                                           // (B, T)
  auto adv = b.advantages;                                                // (B, T)
  auto surr1 = -adv * ratio;
  auto surr2 = -adv * ratio.clamp(1.0 - c.clip, 1.0 + c.clip);
  auto pg = torch::where(keep, torch::max(surr1, surr2), zeros);          // (B, T)

  // Value: every completion token, clipped around the old values.
  auto v_err = (values - b.returns).pow(2);                               // (B, T)
  if (c.value_clip > 0) {
    auto v_clip = b.old_values + (values - b.old_values).clamp(-c.value_clip, c.value_clip);
    v_err = torch::max(v_err, (v_clip - b.returns).pow(2));
  }
  PpoLoss l;
  l.policy = pg.sum() / n_keep;
  l.value = 0.5 * (v_err * valid).sum() / n_valid;
  l.entropy = torch::where(keep, entropy, zeros).sum() / n_keep;
  l.total = l.policy + c.value_coef * l.value - c.entropy_coef * l.entropy;
  l.kl = torch::zeros({}, logprobs.options());
  if (kl_coef > 0) {
    // k3 = e^d - d - 1 with d = log p_ref - log p: unbiased, never negative. d is masked before
    // the exp so padding cannot overflow into the gradient.
    auto d = torch::where(valid > 0.5, b.ref_logprobs - logprobs, zeros).clamp(-20.0, 20.0);  // (B, T)
    l.kl = ((d.exp() - d - 1.0) * valid).sum() / n_valid;
    l.total = l.total + kl_coef * l.kl;
  }
  {
    torch::NoGradGuard no_grad;
    auto r = ratio.detach();
    auto clipped = ((r - 1.0).abs() > c.clip).to(torch::kFloat32) * keep_f;
    l.clip_fraction = (clipped.sum() / n_keep).item<double>();
    auto kl = ((r - 1.0) - log_ratio.detach()) * keep_f;
    l.approx_kl = (kl.sum() / n_keep).item<double>();
    l.kept_fraction = (keep_f.sum() / n_valid).item<double>();
  }
  return l;
}

namespace {

double clip_and_norm(const std::vector<torch::Tensor>& trainable, double max_norm) {
  std::vector<torch::Tensor> params;
  for (const auto& p : trainable)
    if (p.grad().defined()) params.push_back(p);
  if (max_norm > 0) return torch::nn::utils::clip_grad_norm_(params, max_norm);
  double sq = 0;
  for (auto& p : params) sq += p.grad().pow(2).sum().item<double>();
  return std::sqrt(sq);
}

// The gradients of `params` as one vector (zeros where a parameter has none yet).
torch::Tensor flat_grads(const std::vector<torch::Tensor>& params) {
  std::vector<torch::Tensor> parts;
  for (const auto& p : params)
    parts.push_back(p.grad().defined() ? p.grad().detach().reshape({-1}).to(torch::kFloat32)
                                       : torch::zeros({p.numel()}, p.options().dtype(torch::kFloat32)));
  return torch::cat(parts);
}

// One minibatch's terms, after backward.
struct StepTerms {
  double grad_norm = 0, sft_loss = 0, norm_policy = 0, norm_sft = 0, cosine = 0;
};

// Backward of the PPO loss and, when given, of the weighted supervised loss, one after the
// other, so the two gradients can be told apart (their graphs are disjoint: no extra compute).
StepTerms backward(const std::vector<torch::Tensor>& params, const PpoLoss& l, const torch::Tensor& sft_term) {
  StepTerms t;
  l.total.backward();
  if (!sft_term.defined()) return t;  // the policy's norm is then the clipped norm
  torch::Tensor g_policy = flat_grads(params);
  sft_term.backward();
  torch::Tensor g_sft = flat_grads(params) - g_policy;
  t.norm_policy = g_policy.norm().item<double>(), t.norm_sft = g_sft.norm().item<double>();
  t.cosine = t.norm_policy > 0 && t.norm_sft > 0
                 ? (g_policy.dot(g_sft) / (t.norm_policy * t.norm_sft)).item<double>() : 0.0;
  return t;
}

void accumulate(PpoUpdateStats& s, const PpoLoss& l, const StepTerms& t) {
  s.sft_loss += t.sft_loss;
  s.policy_loss += l.policy.item<double>();
  s.value_loss += l.value.item<double>();
  s.entropy += l.entropy.item<double>();
  s.kl_loss += l.kl.item<double>();
  s.clip_fraction += l.clip_fraction, s.approx_kl += l.approx_kl;
  s.kept_fraction += l.kept_fraction, s.grad_norm += t.grad_norm;
  s.grad_norm_policy += t.norm_policy, s.grad_norm_sft += t.norm_sft, s.grad_cosine += t.cosine;
  s.steps += 1;
}

void average(PpoUpdateStats& s) {
  if (s.steps == 0) return;
  const double n = static_cast<double>(s.steps);
  s.policy_loss /= n, s.value_loss /= n, s.entropy /= n, s.clip_fraction /= n, s.kl_loss /= n;
  s.approx_kl /= n, s.kept_fraction /= n, s.grad_norm /= n, s.sft_loss /= n;
  s.grad_norm_policy /= n, s.grad_norm_sft /= n, s.grad_cosine /= n;
}

}  // namespace

Expected<PpoUpdateStats> ppo_update(model::Transformer& policy, torch::optim::Optimizer& opt,
                                    const PpoBatch& batch, const run::PpoConfig& c, double temperature,
                                    uint64_t seed, const SftData* sft, double kl_coef) {
  if (!batch.advantages.defined()) return Error("ppo update: advantages not prepared");
  PpoUpdateStats s;
  try {
    policy->train();
    const torch::Device device = policy->parameters().front().device();
    const std::vector<torch::Tensor> params = policy->trainable_parameters();
    auto gen = at::detail::createCPUGenerator(seed);
    const int64_t B = batch.size(), mb = std::max(1, c.minibatch_size);
    for (int epoch = 0; epoch < c.epochs; ++epoch) {
      auto order = torch::randperm(B, gen, torch::kInt64);  // (B)
      double epoch_kl = 0;
      int64_t epoch_steps = 0;
      for (int64_t start = 0; start < B; start += mb) {
        PpoBatch m = batch.select(order.narrow(0, start, std::min(mb, B - start)), device);
        auto scores = model::score_sequences(policy, m.ids, temperature);  // (b, L-1) each
        PpoLoss l = ppo_loss(scores.logprobs, scores.values, scores.entropy, m, c, kl_coef);
        torch::Tensor sft_term, ce;
        if (sft && c.sft_coef > 0 && sft->size() > 0) {
          const uint64_t draw = mix_seed(seed, static_cast<uint64_t>(epoch * B + start));
          ce = supervised_loss(policy, sft->random_batch(c.sft_batch, draw, device));
          sft_term = c.sft_coef * ce;
        }
        opt.zero_grad();
        StepTerms t = backward(params, l, sft_term);
        t.sft_loss = ce.defined() ? ce.item<double>() : 0.0;
        t.grad_norm = clip_and_norm(params, c.grad_clip);
        if (!sft_term.defined()) t.norm_policy = t.grad_norm;
        opt.step();
        accumulate(s, l, t);
        epoch_kl += l.approx_kl, ++epoch_steps;
      }
      s.epochs = epoch + 1;
      if (c.max_kl > 0 && epoch_kl / std::max<int64_t>(1, epoch_steps) > c.max_kl) break;
    }
  } catch (const c10::Error& e) {
    return Error(std::string("ppo update: ") + e.what_without_backtrace());
  }
  average(s);
  return s;
}

}  // namespace stepcoder::trainer
