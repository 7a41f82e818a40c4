// LoRA adapters (see lora.h).
#include "model/lora.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "model/transformer.h"

namespace stepcoder::model {

namespace {

// As PEFT initializes A: U(-1/sqrt(in), 1/sqrt(in)) (Kaiming uniform, a = sqrt(5)); B is zero.
torch::Tensor draw_a(int64_t rank, int64_t in, c10::optional<at::Generator> gen) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(in));
  return torch::empty({rank, in}).uniform_(-bound, bound, std::move(gen));
}

}  // namespace

LoraImpl::LoraImpl(int64_t in, int64_t out, const LoraConfig& cfg) : scale_(cfg.scale()), dropout_(cfg.dropout) {
  a = register_parameter("a", draw_a(cfg.rank, in, c10::nullopt));
  b = register_parameter("b", torch::zeros({out, cfg.rank}));
}

void LoraImpl::reset(at::Generator& gen) {
  torch::NoGradGuard no_grad;
  a.copy_(draw_a(a.size(0), a.size(1), gen));
  b.zero_();
}

torch::Tensor LoraImpl::forward(const torch::Tensor& x) {
  auto h = dropout_ > 0 ? torch::dropout(x, dropout_, is_training()) : x;
  return precision::linear(precision::linear(h, a), b) * scale_;
}

torch::Tensor LoraImpl::delta() const { return torch::matmul(b, a) * scale_; }

Lora make_adapter(torch::nn::Module& owner, const std::string& name, const torch::nn::Linear& base,
                  const LoraConfig& cfg) {
  if (!cfg.enabled() || !cfg.targets_projection(name)) return Lora(nullptr);
  const auto& w = base->weight;  // (out, in)
  Lora adapter(w.size(1), w.size(0), cfg);
  return owner.register_module(name + "_lora", adapter);
}

namespace {

// Copies every parameter and buffer of `from` that `to` has under the same name.
void copy_shared(const Transformer& from, Transformer& to) {
  torch::NoGradGuard no_grad;
  auto src = from->named_parameters();
  for (auto& p : to->named_parameters())
    if (const torch::Tensor* s = src.find(p.key())) p.value().copy_(*s);
  auto src_buf = from->named_buffers();
  for (auto& b : to->named_buffers())
    if (const torch::Tensor* s = src_buf.find(b.key())) b.value().copy_(*s);
}

}  // namespace

Transformer with_adapters(const Transformer& base, const LoraConfig& lora, uint64_t seed) {
  ModelConfig cfg = base->config();
  cfg.lora = lora;
  Transformer m(cfg);
  m->to(base->tok_embeddings->weight.device());
  copy_shared(base, m);
  at::Generator gen = at::detail::createCPUGenerator(seed);  // not the global stream: same seed, same adapters
  for (const auto& sub : m->modules(/*include_self=*/false))
    if (auto* a = dynamic_cast<LoraImpl*>(sub.get())) a->reset(gen);
  return m;
}

Transformer merge_adapters(const Transformer& model) {
  ModelConfig cfg = model->config();
  cfg.lora = LoraConfig{};  // rank 0: no adapters
  Transformer out(cfg);
  out->to(model->tok_embeddings->weight.device());
  copy_shared(model, out);
  torch::NoGradGuard no_grad;
  auto weights = out->named_parameters();
  for (const auto& m : model->named_modules("", /*include_self=*/false)) {
    const auto* a = dynamic_cast<const LoraImpl*>(m.value().get());
    if (!a) continue;
    const std::string& name = m.key();                                     // blocks.0.attn.wq_lora
    const std::string weight = name.substr(0, name.size() - 5) + ".weight";  // blocks.0.attn.wq.weight
    weights[weight].add_(a->delta());
  }
  return out;
}

Transformer adapt_to(const Transformer& model, const LoraConfig& lora, uint64_t seed) {
  const LoraConfig& has = model->config().lora;
  if (has == lora || (!has.enabled() && !lora.enabled())) return model;
  Transformer base = has.enabled() ? merge_adapters(model) : model;
  return lora.enabled() ? with_adapters(base, lora, seed) : base;
}

}  // namespace stepcoder::model
