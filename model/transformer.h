// The policy: a decoder-only transformer (token embeddings, rotary positions, pre-norm blocks
// of RMSNorm, causal self-attention with grouped-query heads and SwiGLU MLP, tied or separate
// output head) with a value head giving one scalar per position. The Llama layout, with the
// options of Mistral, Qwen2 (q/k/v biases) and Qwen3 (per-head q/k norms, explicit head size),
// so Hugging Face weights of those families load into it (hf_model.h).
//
//   Transformer model(cfg);                               // cfg: ModelConfig, validated
//   auto out = model->forward(ids);                       // ids (B, T) int64
//   // out.logits (B, T, V), out.values (B, T)
//   SequenceScores s = score_sequences(model, ids);         // PPO: logprobs, values (B, T-1)
//   Transformer ref = clone_frozen(model);                // KL reference, no gradients
//   KVCache cache = model->new_cache(/*batch=*/B, /*max_len=*/T + 256);
//   model->forward(prompt_ids, {}, key_valid, &cache);    // prefill, then one token a step
#pragma once

#include <torch/torch.h>

#include <vector>

#include "model/config.h"
#include "model/lora.h"

namespace stepcoder::model {

// Keys and values of earlier positions, per layer, preallocated to max_len.
struct KVCache {
  std::vector<torch::Tensor> k, v;  // each (B, Hkv, max_len, hd)
  int64_t length = 0;               // positions filled
  int64_t capacity() const { return k.empty() ? 0 : k[0].size(2); }
};

struct ForwardOutput {
  torch::Tensor logits;  // (B, T, V)
  torch::Tensor values;  // (B, T)
};

class RMSNormImpl : public torch::nn::Module {
 public:
  RMSNormImpl(int64_t dim, double eps);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor weight;

 private:
  double eps_;
};
TORCH_MODULE(RMSNorm);

class AttentionImpl : public torch::nn::Module {
 public:
  explicit AttentionImpl(const ModelConfig& cfg);
  // x (B, T, C); cos/sin (B or 1, 1, T, hd); mask (B or 1, 1, T, S) true = may attend.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask, KVCache* cache, int layer);
  torch::nn::Linear wq{nullptr}, wk{nullptr}, wv{nullptr}, wo{nullptr};
  Lora wq_lora{nullptr}, wk_lora{nullptr}, wv_lora{nullptr}, wo_lora{nullptr};  // model.lora targets only
  RMSNorm q_norm{nullptr}, k_norm{nullptr};  // qk_norm only

 private:
  int64_t heads_, kv_heads_, head_dim_;
};
TORCH_MODULE(Attention);

class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(int64_t dim, int64_t hidden, const LoraConfig& lora = {});
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear gate{nullptr}, up{nullptr}, down{nullptr};
  Lora gate_lora{nullptr}, up_lora{nullptr}, down_lora{nullptr};  // model.lora targets only
};
TORCH_MODULE(Mlp);

class BlockImpl : public torch::nn::Module {
 public:
  explicit BlockImpl(const ModelConfig& cfg);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask, KVCache* cache, int layer);
  RMSNorm attn_norm{nullptr}, mlp_norm{nullptr};
  Attention attn{nullptr};
  Mlp mlp{nullptr};
};
TORCH_MODULE(Block);

class TransformerImpl : public torch::nn::Module {
 public:
  // cfg.vocab_size must be set (> 0) and validate(cfg) must pass.
  explicit TransformerImpl(const ModelConfig& cfg);

  // ids (B, T). positions (B, T) default 0..T-1 (after the cache). key_valid (B, S) marks the
  // real (non-padding) keys, S = cache length + T; empty = all real. With a cache the new keys
  // and values are appended and the cache length grows by T.
  ForwardOutput forward(const torch::Tensor& ids, const torch::Tensor& positions = {},
                        const torch::Tensor& key_valid = {}, KVCache* cache = nullptr);
  // The final normed hidden states (B, T, C), as forward() computes them, and the output head:
  // forward's logits are head(trunk(...)); long texts can apply the head a chunk at a time.
  torch::Tensor trunk(const torch::Tensor& ids, const torch::Tensor& positions = {},
                      const torch::Tensor& key_valid = {}, KVCache* cache = nullptr);
  torch::Tensor head(const torch::Tensor& h);
  KVCache new_cache(int64_t batch, int64_t max_len) const;
  const ModelConfig& config() const { return cfg_; }
  int64_t parameter_count() const;
  // With model.lora: switches every adapter on or off; off, the model is its base exactly.
  void set_adapters_enabled(bool enabled);
  // The parameters that train: all of them, or with model.lora the adapters and the value head.
  std::vector<torch::Tensor> trainable_parameters() const;
  // The compute dtype (model.dtype, precision.h): activations in it, trainable weights in fp32,
  // frozen ones stored in it. Call again after freezing parameters or loading weights.
  void set_dtype(const std::string& name);
  void store_weights();
  // The run's choices that are not the model's shape (checkpoints do not hold them): model.dtype
  // and model.checkpoint_activations of `run`.
  void apply_run_settings(const ModelConfig& run);

  torch::nn::Embedding tok_embeddings{nullptr};
  torch::nn::ModuleList blocks{nullptr};
  RMSNorm norm{nullptr};
  torch::nn::Linear lm_head{nullptr};  // absent when tied
  torch::nn::Linear value_head{nullptr};

 private:
  torch::Tensor build_mask(int64_t T, int64_t past, const torch::Tensor& key_valid) const;
  void init_weights();

  ModelConfig cfg_;
  torch::ScalarType dtype_ = torch::kFloat;
  torch::Tensor cos_, sin_;  // (context, hd) rotary tables (buffers)
};
TORCH_MODULE(Transformer);

// A deep copy with its own parameters; frozen: no gradients, eval mode (PPO's KL reference).
Transformer clone_model(const Transformer& model, bool frozen);
inline Transformer clone_frozen(const Transformer& model) { return clone_model(model, true); }

// LoRA (lora.h): `base`'s weights, frozen, with fresh adapters of `lora` (B = 0: the same
// outputs), A drawn from a generator of its own seeded with `seed`.
Transformer with_adapters(const Transformer& base, const LoraConfig& lora, uint64_t seed);
// The adapters folded into their projections (W + scale B A): a model without adapters that
// computes what `model` computes with them on. A model without adapters is copied.
Transformer merge_adapters(const Transformer& model);
// `model` with the adapters `lora` asks for: itself when it has them already; otherwise its
// adapters (if any) merged, then fresh ones added (none when lora.rank is 0). What a training
// run starts from: the start computes what `model` computes, and the base is that model.
Transformer adapt_to(const Transformer& model, const LoraConfig& lora, uint64_t seed);

// Switches a model's adapters off for a scope: the base model (PPO's KL reference under LoRA).
class AdaptersOff {
 public:
  explicit AdaptersOff(Transformer& m) : m_(m) { m_->set_adapters_enabled(false); }
  ~AdaptersOff() { m_->set_adapters_enabled(true); }
  AdaptersOff(const AdaptersOff&) = delete;
  AdaptersOff& operator=(const AdaptersOff&) = delete;

 private:
  Transformer& m_;
};

// Per-token log-probabilities and values of given sequences in one forward pass:
// logprobs[b][i] = log p(ids[b][i+1] | ids[b][..i]) under logits / temperature, values[b][i] =
// V(ids[b][..i]); both (B, T-1). Right padding is harmless (causal attention).
struct SequenceScores {
  torch::Tensor logprobs;  // (B, T-1)
  torch::Tensor values;    // (B, T-1)
  torch::Tensor entropy;   // (B, T-1) of the tempered distribution
};
SequenceScores score_sequences(Transformer& model, const torch::Tensor& ids, double temperature = 1.0);

// The torch device named by cfg.device, or an error when LibTorch lacks it.
Expected<torch::Device> resolve_device(const std::string& name);

}  // namespace stepcoder::model
