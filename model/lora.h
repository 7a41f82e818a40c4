// Low-rank adapters (LoRA, Hu et al. 2021) for the transformer's projections (config.h,
// LoraConfig): y = W x + (alpha / rank) B A x. A starts as Kaiming-uniform noise and B at zero,
// so a freshly adapted model computes exactly what its base does.
//
//   Transformer policy = with_adapters(base, cfg.lora, seed);  // base weights copied, frozen
//   policy->set_adapters_enabled(false);                  // the base model, bit for bit
//   Transformer merged = merge_adapters(policy);          // W + scale B A, no adapters
#pragma once

#include <torch/torch.h>

#include "model/config.h"
#include "model/precision.h"

namespace stepcoder::model {

class LoraImpl : public torch::nn::Module {
 public:
  LoraImpl(int64_t in, int64_t out, const LoraConfig& cfg);
  // scale * B A dropout(x): the adapter's addition to the base projection of x.
  torch::Tensor forward(const torch::Tensor& x);
  // The update as a weight: scale * B A, (out, in).
  torch::Tensor delta() const;
  // A drawn again from `gen`, B zeroed: a fresh adapter, reproducible from a seed.
  void reset(at::Generator& gen);
  torch::Tensor a, b;
  bool enabled = true;

 private:
  double scale_, dropout_;
};
TORCH_MODULE(Lora);

// The base projection of x plus its adapter's update, when it has one and it is enabled.
inline torch::Tensor project(torch::nn::Linear& base, Lora& adapter, const torch::Tensor& x) {
  auto y = precision::linear(x, base->weight, base->bias);
  return adapter && adapter->enabled ? y + adapter(x) : y;
}

// Registers an adapter for projection `name` (wq ... down) of `owner` when cfg targets it;
// otherwise returns an empty holder.
Lora make_adapter(torch::nn::Module& owner, const std::string& name, const torch::nn::Linear& base,
                  const LoraConfig& cfg);

}  // namespace stepcoder::model
