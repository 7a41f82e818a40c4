// Decoder-only transformer with a value head (see transformer.h). Attention is written out
// (LibTorch 1.13 has no fused kernel) with one boolean mask per forward shared by all layers.
// Products go through precision.h, so a bf16 model computes in bf16 with fp32 where it matters.
#include "model/transformer.h"

#include <cmath>

#include "model/precision.h"

namespace stepcoder::model {

namespace {

// HF Llama convention: the two halves of each head are the rotated pairs.
torch::Tensor rotate_half(const torch::Tensor& x) {
  int64_t half = x.size(-1) / 2;
  return torch::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

torch::Tensor apply_rope(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  return x * cos + rotate_half(x) * sin;
}

// Rotary frequencies as Hugging Face computes them (float32 throughout), with the scaling of
// long-context checkpoints: linear divides every frequency by the factor; llama3 divides the
// low frequencies, keeps the high ones and blends between. Dynamic NTK scaling changes nothing
// at positions inside max_position_embeddings, which is all this model accepts.
torch::Tensor rope_inv_freq(const ModelConfig& c) {
  const int64_t hd = c.head_dim();
  auto exps = torch::arange(0, hd, 2, torch::kLong).to(torch::kFloat32) / static_cast<float>(hd);
  auto inv = torch::pow(torch::tensor(static_cast<float>(c.rope_theta)), exps).reciprocal();
  const RopeScaling& r = c.rope_scaling;
  if (r.kind == "linear") return inv / r.factor;
  if (r.kind != "llama3") return inv;
  const double old_len = r.original_context;
  const double low_wavelen = old_len / r.low_freq_factor, high_wavelen = old_len / r.high_freq_factor;
  auto wavelen = 2 * M_PI / inv;
  auto scaled = torch::where(wavelen > low_wavelen, inv / r.factor, inv);
  auto smooth = (old_len / wavelen - r.low_freq_factor) / (r.high_freq_factor - r.low_freq_factor);
  auto smoothed = (1 - smooth) * scaled / r.factor + smooth * scaled;
  auto medium = (wavelen < high_wavelen).logical_not() & (wavelen > low_wavelen).logical_not();
  return torch::where(medium, smoothed, scaled);
}

bool is_adapter(const std::string& parameter_name) { return parameter_name.find("_lora.") != std::string::npos; }

using torch::autograd::AutogradContext;

// Activation checkpointing: a block's forward without a graph, keeping only its input; backward
// runs the block again with a graph and back-propagates through it, which accumulates its
// parameters' gradients (the reentrant form of torch.utils.checkpoint). `block` is a BlockImpl*.
struct CheckpointedBlock : torch::autograd::Function<CheckpointedBlock> {
  static BlockImpl* of(const AutogradContext* ctx) {
    return reinterpret_cast<BlockImpl*>(ctx->saved_data.at("block").toInt());
  }
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& cos,
                               const torch::Tensor& sin, const torch::Tensor& mask, int64_t block) {
    ctx->saved_data["block"] = block;
    ctx->save_for_backward({x, cos, sin, mask});
    torch::NoGradGuard no_grad;
    return of(ctx)->forward(x, cos, sin, mask, nullptr, 0);
  }
  static torch::autograd::tensor_list backward(AutogradContext* ctx, torch::autograd::tensor_list grads) {
    auto saved = ctx->get_saved_variables();
    auto x = saved[0].detach().requires_grad_(true);
    torch::Tensor y;
    {
      torch::AutoGradMode grad(true);
      y = of(ctx)->forward(x, saved[1], saved[2], saved[3], nullptr, 0);
    }
    torch::autograd::backward({y}, {grads[0]});
    return {x.grad(), {}, {}, {}, {}};
  }
};

torch::Tensor checkpointed(BlockImpl* block, torch::Tensor x, const torch::Tensor& cos, const torch::Tensor& sin,
                           const torch::Tensor& mask) {
  // The block's parameters are not inputs of the function: an input that needs no gradient (the
  // frozen embeddings of a LoRA model) would leave the output without a graph.
  if (!x.requires_grad()) x = x.detach().requires_grad_(true);
  return CheckpointedBlock::apply(x, cos, sin, mask, reinterpret_cast<int64_t>(block));
}

}  // namespace

RMSNormImpl::RMSNormImpl(int64_t dim, double eps) : eps_(eps) {
  weight = register_parameter("weight", torch::ones({dim}));
}

// In fp32 whatever x's dtype; a bf16 result is the weight times the rounded normed input, as
// Hugging Face computes it.
torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) {
  const auto dt = x.scalar_type();
  auto xf = precision::as(x, torch::kFloat);
  auto normed = xf * torch::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps_);
  return dt == torch::kFloat ? normed * weight : precision::as(weight, dt) * normed.to(dt);
}

AttentionImpl::AttentionImpl(const ModelConfig& c)
    : heads_(c.heads), kv_heads_(c.resolved_kv_heads()), head_dim_(c.head_dim()) {
  auto lin = [](int64_t in, int64_t out, bool bias) { return torch::nn::LinearOptions(in, out).bias(bias); };
  wq = register_module("wq", torch::nn::Linear(lin(c.dim, heads_ * head_dim_, c.qkv_bias)));
  wk = register_module("wk", torch::nn::Linear(lin(c.dim, kv_heads_ * head_dim_, c.qkv_bias)));
  wv = register_module("wv", torch::nn::Linear(lin(c.dim, kv_heads_ * head_dim_, c.qkv_bias)));
  wq_lora = make_adapter(*this, "wq", wq, c.lora);
  wk_lora = make_adapter(*this, "wk", wk, c.lora);
  wv_lora = make_adapter(*this, "wv", wv, c.lora);
  wo = register_module("wo", torch::nn::Linear(lin(heads_ * head_dim_, c.dim, c.o_bias)));
  wo_lora = make_adapter(*this, "wo", wo, c.lora);
  if (c.qk_norm) {
    q_norm = register_module("q_norm", RMSNorm(head_dim_, c.norm_eps));
    k_norm = register_module("k_norm", RMSNorm(head_dim_, c.norm_eps));
  }
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                     const torch::Tensor& sin, const torch::Tensor& mask,
                                     KVCache* cache, int layer) {
  const int64_t B = x.size(0), T = x.size(1);
  auto q = project(wq, wq_lora, x).view({B, T, heads_, head_dim_});
  auto k = project(wk, wk_lora, x).view({B, T, kv_heads_, head_dim_});
  if (q_norm) q = q_norm(q), k = k_norm(k);  // per head, before rotation
  q = q.transpose(1, 2);                                               // (B, H, T, hd)
  k = k.transpose(1, 2);                                               // (B, Hkv, T, hd)
  auto v = project(wv, wv_lora, x).view({B, T, kv_heads_, head_dim_}).transpose(1, 2);
  q = apply_rope(q, cos, sin);
  k = apply_rope(k, cos, sin);
  if (cache) {
    const int64_t past = cache->length;
    cache->k[layer].narrow(2, past, T).copy_(k);
    cache->v[layer].narrow(2, past, T).copy_(v);
    k = cache->k[layer].narrow(2, 0, past + T);  // (B, Hkv, S, hd)
    v = cache->v[layer].narrow(2, 0, past + T);
  }
  if (kv_heads_ != heads_) {
    k = k.repeat_interleave(heads_ / kv_heads_, /*dim=*/1);
    v = v.repeat_interleave(heads_ / kv_heads_, /*dim=*/1);
  }
  auto att = precision::matmul(q, k.transpose(-2, -1)) * (1.0 / std::sqrt(double(head_dim_)));
  att = att.masked_fill(mask.logical_not(), -std::numeric_limits<float>::infinity());
  att = precision::as(torch::softmax(att, -1, torch::kFloat), x.scalar_type());  // (B, H, T, S), in fp32
  auto y = precision::matmul(att, v).transpose(1, 2).reshape({B, T, heads_ * head_dim_});
  return project(wo, wo_lora, y);
}

MlpImpl::MlpImpl(int64_t dim, int64_t hidden, const LoraConfig& lora) {
  auto lin = [](int64_t in, int64_t out) { return torch::nn::LinearOptions(in, out).bias(false); };
  gate = register_module("gate", torch::nn::Linear(lin(dim, hidden)));
  up = register_module("up", torch::nn::Linear(lin(dim, hidden)));
  down = register_module("down", torch::nn::Linear(lin(hidden, dim)));
  gate_lora = make_adapter(*this, "gate", gate, lora);
  up_lora = make_adapter(*this, "up", up, lora);
  down_lora = make_adapter(*this, "down", down, lora);
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
  return project(down, down_lora, torch::silu(project(gate, gate_lora, x)) * project(up, up_lora, x));
}

BlockImpl::BlockImpl(const ModelConfig& c) {
  attn_norm = register_module("attn_norm", RMSNorm(c.dim, c.norm_eps));
  attn = register_module("attn", Attention(c));
  mlp_norm = register_module("mlp_norm", RMSNorm(c.dim, c.norm_eps));
  mlp = register_module("mlp", Mlp(c.dim, c.resolved_mlp_hidden(), c.lora));
}

torch::Tensor BlockImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                 const torch::Tensor& sin, const torch::Tensor& mask,
                                 KVCache* cache, int layer) {
  auto h = x + attn(attn_norm(x), cos, sin, mask, cache, layer);
  return h + mlp(mlp_norm(h));
}

TransformerImpl::TransformerImpl(const ModelConfig& c) : cfg_(c) {
  TORCH_CHECK(c.vocab_size > 0, "model vocab_size must be set before building the model");
  tok_embeddings = register_module("tok_embeddings", torch::nn::Embedding(c.vocab_size, c.dim));
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (int i = 0; i < c.layers; ++i) blocks->push_back(Block(c));
  norm = register_module("norm", RMSNorm(c.dim, c.norm_eps));
  if (!c.tie_embeddings)
    lm_head = register_module(
        "lm_head", torch::nn::Linear(torch::nn::LinearOptions(c.dim, c.vocab_size).bias(false)));
  value_head = register_module("value_head", torch::nn::Linear(c.dim, 1));
  // Rotary tables: inv_freq_j = theta^(-2j/hd) (scaled), angle = position * inv_freq, halves repeated.
  auto angles = torch::outer(torch::arange(c.context, torch::kLong).to(torch::kFloat32), rope_inv_freq(c));
  auto emb = torch::cat({angles, angles}, -1);  // (P, hd)
  cos_ = register_buffer("rope_cos", emb.cos());
  sin_ = register_buffer("rope_sin", emb.sin());
  init_weights();
  if (c.lora.enabled())  // only the adapters and the value head train
    for (auto& p : named_parameters())
      p.value().set_requires_grad(is_adapter(p.key()) || p.key().rfind("value_head.", 0) == 0);
  set_dtype(c.dtype);
}

void TransformerImpl::set_dtype(const std::string& name) {
  auto d = precision::parse_dtype(name);
  TORCH_CHECK(d, d ? "" : d.error());
  cfg_.dtype = name;
  dtype_ = *d;
  store_weights();
}

void TransformerImpl::apply_run_settings(const ModelConfig& run) {
  cfg_.checkpoint_activations = run.checkpoint_activations;
  set_dtype(run.dtype);
}

// Trainable weights in fp32 (the optimizer's master copy), frozen ones in the compute dtype.
void TransformerImpl::store_weights() {
  torch::NoGradGuard no_grad;
  for (auto& p : parameters()) {
    const auto want = p.requires_grad() ? torch::kFloat : dtype_;
    if (p.scalar_type() != want) p.set_data(p.to(want));
  }
}

void TransformerImpl::init_weights() {
  torch::NoGradGuard no_grad;
  const double resid_std = 0.02 / std::sqrt(2.0 * cfg_.layers);
  for (auto& p : named_parameters()) {
    const std::string& name = p.key();
    if (p.value().dim() < 2 || is_adapter(name)) continue;  // norms stay 1, adapters as lora.cpp made them
    bool residual_out = name.find("wo.weight") != std::string::npos ||
                        name.find("down.weight") != std::string::npos;
    p.value().normal_(0.0, residual_out ? resid_std : 0.02);
  }
  value_head->weight.zero_();
  value_head->bias.zero_();
}

torch::Tensor TransformerImpl::build_mask(int64_t T, int64_t past, const torch::Tensor& key_valid) const {
  const int64_t S = past + T;
  auto opts = torch::TensorOptions().device(cos_.device());
  auto q_pos = torch::arange(past, S, opts.dtype(torch::kLong)).unsqueeze(1);  // (T, 1)
  auto k_pos = torch::arange(0, S, opts.dtype(torch::kLong)).unsqueeze(0);     // (1, S)
  auto mask = (k_pos <= q_pos).view({1, 1, T, S});
  if (key_valid.defined()) {
    TORCH_CHECK(key_valid.size(1) == S, "key_valid covers ", key_valid.size(1), " keys, expected ", S);
    // A padding query may see no real key at all; it always sees itself, so softmax stays finite.
    mask = (mask & key_valid.to(torch::kBool).view({-1, 1, 1, S})) | (k_pos == q_pos).view({1, 1, T, S});
  }
  return mask;
}

ForwardOutput TransformerImpl::forward(const torch::Tensor& ids, const torch::Tensor& positions,
                                       const torch::Tensor& key_valid, KVCache* cache) {
  auto h = trunk(ids, positions, key_valid, cache);
  ForwardOutput out;
  out.logits = head(h);
  out.values = precision::as(precision::linear(h, value_head->weight, value_head->bias), torch::kFloat).squeeze(-1);
  return out;
}

torch::Tensor TransformerImpl::head(const torch::Tensor& h) {
  const auto& w = cfg_.tie_embeddings ? tok_embeddings->weight : lm_head->weight;
  return precision::as(precision::linear(h, w), torch::kFloat);  // log-probs and sampling in fp32
}

torch::Tensor TransformerImpl::trunk(const torch::Tensor& ids, const torch::Tensor& positions,
                                     const torch::Tensor& key_valid, KVCache* cache) {
  const int64_t T = ids.size(1);
  const int64_t past = cache ? cache->length : 0;
  TORCH_CHECK(!cache || past + T <= cache->capacity(), "KV cache full: ", past, " + ", T, " > ",
              cache->capacity());
  torch::Tensor cos, sin;
  if (positions.defined()) {
    TORCH_CHECK(positions.numel() == 0 || positions.max().item<int64_t>() < cfg_.context,
                "position beyond the model context ", cfg_.context);
    cos = precision::as(cos_.index({positions}).unsqueeze(1), dtype_);  // (B, 1, T, hd)
    sin = precision::as(sin_.index({positions}).unsqueeze(1), dtype_);
  } else {
    TORCH_CHECK(past + T <= cfg_.context, "sequence of ", past + T, " tokens is longer than the context ",
                cfg_.context);
    cos = precision::as(cos_.narrow(0, past, T).view({1, 1, T, -1}), dtype_);
    sin = precision::as(sin_.narrow(0, past, T).view({1, 1, T, -1}), dtype_);
  }
  auto mask = build_mask(T, past, key_valid);
  auto x = precision::as(tok_embeddings(ids), dtype_);  // (B, T, C)
  const bool recompute = cfg_.checkpoint_activations && is_training() && !cache && torch::GradMode::is_enabled();
  for (size_t i = 0; i < blocks->size(); ++i) {
    auto* block = blocks[i]->as<BlockImpl>();
    x = recompute ? checkpointed(block, x, cos, sin, mask) : block->forward(x, cos, sin, mask, cache, static_cast<int>(i));
  }
  if (cache) cache->length += T;
  return norm(x);
}

KVCache TransformerImpl::new_cache(int64_t batch, int64_t max_len) const {
  KVCache c;
  auto opts = torch::TensorOptions().dtype(dtype_).device(cos_.device());
  for (int i = 0; i < cfg_.layers; ++i) {
    c.k.push_back(torch::zeros({batch, cfg_.resolved_kv_heads(), max_len, cfg_.head_dim()}, opts));
    c.v.push_back(torch::zeros({batch, cfg_.resolved_kv_heads(), max_len, cfg_.head_dim()}, opts));
  }
  return c;
}

void TransformerImpl::set_adapters_enabled(bool enabled) {
  for (const auto& m : modules(/*include_self=*/false))
    if (auto* a = dynamic_cast<LoraImpl*>(m.get())) a->enabled = enabled;
}

std::vector<torch::Tensor> TransformerImpl::trainable_parameters() const {
  std::vector<torch::Tensor> out;
  for (const auto& p : parameters())
    if (p.requires_grad()) out.push_back(p);
  return out;
}

int64_t TransformerImpl::parameter_count() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

Transformer clone_model(const Transformer& model, bool frozen) {
  Transformer copy(model->config());
  torch::NoGradGuard no_grad;
  auto src = model->named_parameters();
  for (auto& p : copy->named_parameters()) p.value().copy_(src[p.key()]);
  auto src_buf = model->named_buffers();
  for (auto& b : copy->named_buffers()) b.value().copy_(src_buf[b.key()]);
  copy->to(model->tok_embeddings->weight.device());
  if (frozen) {
    for (auto& p : copy->parameters()) p.set_requires_grad(false);
    copy->store_weights();  // a bf16 model's frozen copy holds bf16 weights only
    copy->eval();
  }
  return copy;
}

SequenceScores score_sequences(Transformer& model, const torch::Tensor& ids, double temperature) {
  const int64_t T = ids.size(1);
  auto out = model->forward(ids);
  auto logits = out.logits.narrow(1, 0, T - 1);
  if (temperature > 0 && temperature != 1.0) logits = logits / temperature;
  auto logp = torch::log_softmax(logits, -1);  // (B, T-1, V)
  SequenceScores s;
  s.logprobs = logp.gather(-1, ids.narrow(1, 1, T - 1).unsqueeze(-1)).squeeze(-1);
  s.entropy = -(logp.exp() * logp).sum(-1);
  s.values = out.values.narrow(1, 0, T - 1);
  return s;
}

Expected<torch::Device> resolve_device(const std::string& name) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available())
      return Error("model.device " + name + ": this LibTorch has no CUDA device (HINT: device: cpu)");
    try {
      return torch::Device(name);
    } catch (const c10::Error& e) {
      return Error("model.device " + name + ": " + e.what_without_backtrace());
    }
  }
  return Error("model.device '" + name + "' is neither cpu nor cuda[:N]");
}

}  // namespace stepcoder::model
