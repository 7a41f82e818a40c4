// GAE and masked whitening (see advantages.h).
#include "trainer/advantages.h"

namespace stepcoder::trainer {

Gae compute_gae(const torch::Tensor& rewards, const torch::Tensor& values, const torch::Tensor& valid,
                double gamma, double lambda) {
  torch::NoGradGuard no_grad;
  auto r = rewards.to(torch::kFloat32), v = values.to(torch::kFloat32);  // (B, T)
  auto m = valid.to(torch::kFloat32);
  const int64_t B = r.size(0), T = r.size(1);
  auto adv = torch::zeros({B, T}, r.options());
  auto last = torch::zeros({B}, r.options());        // A_{t+1}
  auto next_value = torch::zeros({B}, r.options());  // V_{t+1}, 0 past the end
  for (int64_t t = T - 1; t >= 0; --t) {
    auto mt = m.select(1, t), vt = v.select(1, t);  // (B)
    auto delta = r.select(1, t) + gamma * next_value - vt;
    last = (delta + gamma * lambda * last) * mt;
    adv.select(1, t).copy_(last);
    next_value = vt * mt;
  }
  return Gae{adv, (adv + v) * m};
}

torch::Tensor group_advantages(const torch::Tensor& scores, const torch::Tensor& valid, int64_t group,
                               double std_floor) {
  torch::NoGradGuard no_grad;
  auto s = scores.to(torch::kFloat32).reshape({-1});                        // (B)
  auto centered = (s.view({-1, group}) - s.view({-1, group}).mean(1, true)).reshape({-1});  // (B)
  if (std_floor >= 0) centered = scale_by_std(centered, torch::ones_like(centered), std_floor);
  return centered.unsqueeze(1) * valid.to(torch::kFloat32);                // (B, T)
}

torch::Tensor scale_by_std(const torch::Tensor& x, const torch::Tensor& keep, double floor) {
  torch::NoGradGuard no_grad;
  auto k = keep.to(x.dtype());
  const double n = k.sum().item<double>();
  if (n < 2) return x * k;
  auto kept = x * k;
  auto mean = kept.sum() / n;
  auto var = ((x - mean) * k).pow(2).sum() / (n - 1);
  return kept / var.sqrt().clamp_min(floor);
}

torch::Tensor whiten(const torch::Tensor& x, const torch::Tensor& keep, double floor) {
  torch::NoGradGuard no_grad;
  auto k = keep.to(x.dtype());
  const double n = k.sum().item<double>();
  if (n < 1) return torch::zeros_like(x);
  return scale_by_std((x - (x * k).sum() / n) * k, keep, floor);
}

}  // namespace stepcoder::trainer
