// Samplers and batched generation with a KV cache (see sampling.h). Prompts are left-padded
// to a common length; each row keeps its own positions, so padding changes nothing but speed.
#include "model/sampling.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <numeric>

namespace stepcoder::model {

torch::Tensor TopKSampler::apply(const torch::Tensor& logits) {
  if (k_ <= 0 || k_ >= logits.size(-1)) return logits;
  auto kth = std::get<0>(logits.topk(k_, -1)).narrow(-1, k_ - 1, 1);  // (B, 1)
  return logits.masked_fill(logits < kth, -std::numeric_limits<float>::infinity());
}

torch::Tensor TopPSampler::apply(const torch::Tensor& logits) {
  if (p_ >= 1.0) return logits;
  auto sorted = logits.sort(-1, /*descending=*/true);
  auto probs = torch::softmax(std::get<0>(sorted), -1);
  // Drop a token when the mass before it already reaches p; the first token always stays.
  auto drop_sorted = (probs.cumsum(-1) - probs) >= p_;
  auto drop = torch::zeros_like(drop_sorted).scatter(-1, std::get<1>(sorted), drop_sorted);
  return logits.masked_fill(drop, -std::numeric_limits<float>::infinity());
}

SamplerChain::SamplerChain(uint64_t seed) : gen_(at::detail::createCPUGenerator(seed)) {}

SamplerChain& SamplerChain::add(std::unique_ptr<Sampler> s) {
  chain_.push_back(std::move(s));
  return *this;
}

void SamplerChain::reset(uint64_t seed) {
  gen_.set_current_seed(seed);
  for (auto& s : chain_) s->reset();
}

std::string SamplerChain::describe() const {
  std::string out;
  for (const auto& s : chain_) out += s->name() + " -> ";
  return out + (greedy_ ? "argmax" : "draw");
}

torch::Tensor SamplerChain::draw(const torch::Tensor& logits) {
  auto l = logits.to(torch::kCPU, torch::kFloat32);
  if (greedy_) return l.argmax(-1);
  for (auto& s : chain_) l = s->apply(l);
  return torch::multinomial(torch::softmax(l, -1), 1, /*replacement=*/false, gen_).squeeze(-1);
}

SamplerChain make_sampler_chain(const SamplingConfig& cfg) {
  SamplerChain chain(static_cast<uint64_t>(cfg.seed));
  if (cfg.temperature <= 0) return std::move(chain.greedy(true));
  // The temperature first, as Hugging Face's generate() does: top-p then keeps the mass of
  // the distribution that is drawn from, not of the unscaled one.
  chain.add(std::make_unique<TemperatureSampler>(cfg.temperature));
  if (cfg.top_k > 0) chain.add(std::make_unique<TopKSampler>(cfg.top_k));
  if (cfg.top_p < 1.0) chain.add(std::make_unique<TopPSampler>(cfg.top_p));
  return chain;
}

namespace {

struct Row {
  Completion c;
  bool done = false;
  int budget = 0;  // tokens this row may still add (max_new and the context)
};

// Appends one sampled token to a row and decides whether the row is finished.
void append_token(Row& r, int id, float logprob, float value, const Tokenizer& tok,
                  const SamplingConfig& cfg) {
  const std::vector<std::string>& stops = cfg.stop;
  Completion& c = r.c;
  c.tokens.push_back(id);
  c.logprobs.push_back(logprob);
  c.values.push_back(value);
  const size_t before = c.text.size();
  c.text += tok.token_text(id);
  c.spans.push_back({static_cast<int>(before), static_cast<int>(c.text.size())});
  --r.budget;
  if (id == tok.eos_id() && !cfg.ignore_eos) {
    r.done = true, c.finish_reason = "eos";
    return;
  }
  for (const std::string& s : stops) {
    if (s.empty()) continue;
    size_t from = before >= s.size() ? before - s.size() + 1 : 0;
    size_t at = c.text.find(s, from);
    if (at == std::string::npos) continue;
    c.text.resize(at + s.size());
    for (TokenSpan& sp : c.spans) sp.end = std::min(sp.end, static_cast<int>(c.text.size()));
    r.done = true, c.finish_reason = "stop";
    return;
  }
  if (r.budget <= 0) r.done = true, c.finish_reason = "length";
}

// One batch of prompts, sampled together.
std::vector<Completion> generate_batch(Transformer& model, const Tokenizer& tok,
                                       const std::vector<const std::vector<int>*>& prompts,
                                       const SamplingConfig& cfg, SamplerChain& chain, bool use_cache) {
  const int64_t B = static_cast<int64_t>(prompts.size());
  const int context = model->config().context;
  int64_t L = 0;
  for (auto* p : prompts) L = std::max<int64_t>(L, static_cast<int64_t>(p->size()));
  const int64_t max_new = std::min<int64_t>(cfg.max_new_tokens, context);
  const int pad = tok.pad_id() >= 0 ? tok.pad_id() : 0;
  auto dev = model->tok_embeddings->weight.device();
  std::vector<int64_t> ids_host(B * L, pad), pos_host(B * L, 0);
  auto valid = torch::zeros({B, L + max_new}, torch::kBool);
  std::vector<Row> rows(B);
  for (int64_t b = 0; b < B; ++b) {
    const auto& p = *prompts[b];
    const int64_t off = L - static_cast<int64_t>(p.size());
    for (size_t t = 0; t < p.size(); ++t) ids_host[b * L + off + t] = p[t], pos_host[b * L + off + t] = t;
    valid[b].narrow(0, off, p.size()).fill_(true);
    rows[b].c.prompt_tokens = static_cast<int>(p.size());
    rows[b].budget = static_cast<int>(std::min<int64_t>(max_new, context - static_cast<int64_t>(p.size())));
  }
  valid = valid.to(dev);
  auto seq = torch::tensor(ids_host, torch::kLong).view({B, L}).to(dev);
  auto pos = torch::tensor(pos_host, torch::kLong).view({B, L}).to(dev);
  auto next_pos = torch::tensor(std::vector<int64_t>(pos_host.begin(), pos_host.end()), torch::kLong)
                      .view({B, L}).select(1, L - 1).add(1).to(dev);  // (B)
  c10::InferenceMode inference;  // cheaper than NoGradGuard: no version counters or views tracking
  KVCache cache;
  if (use_cache) cache = model->new_cache(B, L + max_new);
  auto out = model->forward(seq, pos, valid.narrow(1, 0, L), use_cache ? &cache : nullptr);
  const double t_eff = cfg.temperature > 0 ? cfg.temperature : 1.0;
  for (int64_t step = 0; step < max_new; ++step) {
    auto logits = out.logits.select(1, out.logits.size(1) - 1);                // (B, V)
    auto values = out.values.select(1, out.values.size(1) - 1).to(torch::kCPU);  // (B)
    auto next = chain.draw(logits);                                             // (B) on CPU
    auto logp = torch::log_softmax(logits.to(torch::kCPU, torch::kFloat32) / t_eff, -1)
                    .gather(-1, next.unsqueeze(-1)).squeeze(-1);
    bool all_done = true;
    for (int64_t b = 0; b < B; ++b) {
      if (rows[b].done) continue;
      append_token(rows[b], static_cast<int>(next[b].item<int64_t>()), logp[b].item<float>(),
                   values[b].item<float>(), tok, cfg);
      all_done = all_done && rows[b].done;
    }
    if (all_done) break;
    valid.select(1, L + step).fill_(true);
    auto step_ids = next.to(dev).view({B, 1});
    if (use_cache) {
      out = model->forward(step_ids, next_pos.view({B, 1}), valid.narrow(1, 0, L + step + 1), &cache);
    } else {
      seq = torch::cat({seq, step_ids}, 1);
      pos = torch::cat({pos, next_pos.view({B, 1})}, 1);
      out = model->forward(seq, pos, valid.narrow(1, 0, L + step + 1), nullptr);
    }
    next_pos = next_pos.add(1).clamp_max(context - 1);  // finished rows may run past; unused
  }
  std::vector<Completion> result;
  for (Row& r : rows) {
    if (r.c.finish_reason.empty()) r.c.finish_reason = "length";
    result.push_back(std::move(r.c));
  }
  return result;
}

}  // namespace

Expected<std::vector<Completion>> generate(Transformer& model, const Tokenizer& tok,
                                           const std::vector<std::vector<int>>& prompts,
                                           const SamplingConfig& cfg, bool use_cache) {
  const int context = model->config().context, vocab = model->config().vocab_size;
  for (size_t i = 0; i < prompts.size(); ++i) {
    const auto& p = prompts[i];
    if (p.empty()) return Error("generating: prompt " + std::to_string(i) + " is empty");
    if (static_cast<int>(p.size()) >= context)
      return Error("generating: prompt " + std::to_string(i) + " has " + std::to_string(p.size()) +
                   " tokens, but the model context is " + std::to_string(context) +
                   " (HINT: shorten the prompt or raise model.context)");
    for (int id : p)
      if (id < 0 || id >= vocab)
        return Error("generating: prompt " + std::to_string(i) + " has token id " +
                     std::to_string(id) + " outside the vocabulary of " + std::to_string(vocab));
  }
  // Similar lengths batch together: less padding. Results go back in the input order.
  std::vector<size_t> order(prompts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return prompts[a].size() < prompts[b].size(); });
  std::vector<Completion> result(prompts.size());
  SamplerChain chain = make_sampler_chain(cfg);
  const bool was_training = model->is_training();
  model->eval();
  try {
    for (size_t start = 0; start < order.size(); start += cfg.batch_size) {
      std::vector<const std::vector<int>*> batch;
      size_t end = std::min(order.size(), start + static_cast<size_t>(cfg.batch_size));
      for (size_t j = start; j < end; ++j) batch.push_back(&prompts[order[j]]);
      auto done = generate_batch(model, tok, batch, cfg, chain, use_cache);
      for (size_t j = start; j < end; ++j) result[order[j]] = std::move(done[j - start]);
    }
  } catch (const c10::Error& e) {
    model->train(was_training);
    return Error(std::string("generating: ") + e.what_without_backtrace());
  }
  model->train(was_training);
  return result;
}

}  // namespace stepcoder::model
