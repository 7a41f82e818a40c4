// Sampling from the policy: a chain of small samplers (temperature -> top-k -> top-p -> draw,
// or greedy) and batched generation over prompts of different lengths with a key/value cache,
// stop sequences, a max-new-tokens bound and a seed. Each completion carries its token ids,
// per-token log-probabilities and values, and each token's byte range in the completion text.
//
//   SamplingConfig sc;  sc.temperature = 0.8;  sc.max_new_tokens = 256;  sc.seed = 7;
//   auto done = generate(model, tok, {tok.encode_ids(prompt)}, sc);
//   if (!done) die(done.error());               // e.g. "prompt 0 has 500 tokens, context 384"
//   const Completion& c = (*done)[0];
//   // c.text, c.tokens[i] covering c.text bytes [c.spans[i].begin, c.spans[i].end),
//   // c.logprobs[i] = log p(token i) under logits / temperature (1 when greedy), c.values[i]
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/tokenizer.h"
#include "model/transformer.h"

namespace stepcoder::model {

// One link of the chain: rewrites logits (B, V) before the draw.
class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual torch::Tensor apply(const torch::Tensor& logits) = 0;
  virtual void reset() {}
  virtual std::string name() const = 0;
};

class TopKSampler : public Sampler {
 public:
  explicit TopKSampler(int k) : k_(k) {}
  torch::Tensor apply(const torch::Tensor& logits) override;
  std::string name() const override { return "top_k(" + std::to_string(k_) + ")"; }

 private:
  int k_;
};

class TopPSampler : public Sampler {
 public:
  explicit TopPSampler(double p) : p_(p) {}
  torch::Tensor apply(const torch::Tensor& logits) override;
  std::string name() const override { return "top_p(" + std::to_string(p_) + ")"; }

 private:
  double p_;
};

class TemperatureSampler : public Sampler {
 public:
  explicit TemperatureSampler(double t) : t_(t) {}
  torch::Tensor apply(const torch::Tensor& logits) override { return logits / t_; }
  std::string name() const override { return "temperature(" + std::to_string(t_) + ")"; }

 private:
  double t_;
};

// The samplers in order, then a draw: argmax when greedy, else from the softmax with a
// seeded generator (on the CPU, so a seed gives the same tokens on every device).
class SamplerChain {
 public:
  explicit SamplerChain(uint64_t seed = 0);
  SamplerChain& add(std::unique_ptr<Sampler> s);
  SamplerChain& greedy(bool on) { greedy_ = on; return *this; }
  torch::Tensor draw(const torch::Tensor& logits);  // (B, V) -> (B) int64 on the CPU
  void reset(uint64_t seed);
  std::string describe() const;

 private:
  std::vector<std::unique_ptr<Sampler>> chain_;
  bool greedy_ = false;
  torch::Generator gen_;
};

SamplerChain make_sampler_chain(const SamplingConfig& cfg);

struct Completion {
  std::vector<int> tokens;      // sampled ids, EOS included when it ended the completion
  std::vector<float> logprobs;  // one per token
  std::vector<float> values;    // V(prefix before the token), one per token
  std::string text;             // decoded, cut after a stop sequence
  std::vector<TokenSpan> spans; // byte range of each token in `text` (clipped at a stop)
  std::string finish_reason;    // "eos", "stop" or "length"
  int prompt_tokens = 0;
};

// Samples one completion per prompt. use_cache = false recomputes every prefix (for tests and
// the cache benchmark). Bad input (empty prompt, prompt longer than the context, ids outside
// the vocabulary) is an error, never a crash.
Expected<std::vector<Completion>> generate(Transformer& model, const Tokenizer& tok,
                                           const std::vector<std::vector<int>>& prompts,
                                           const SamplingConfig& cfg, bool use_cache = true);

}  // namespace stepcoder::model
