// The policy without LibTorch in the interface: load a checkpoint (or a Hugging Face model
// directory), sample text, score a text, export. For the CLI and libraries that must not include <torch/torch.h>;
// training code uses transformer.h and sampling.h directly.
//
//   auto m = InferenceModel::load("run/checkpoints/best.pt", "cpu", /*threads=*/2);
//   if (!m) die(m.error());
//   SamplingConfig sc;  sc.temperature = 0;  sc.max_new_tokens = 200;
//   auto out = (*m)->generate({prompt}, sc);        // one Sample per prompt
//   printf("%s", (*out)[0].text.c_str());
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/tokenizer.h"

namespace stepcoder::model {

struct Sample {
  std::string text;
  std::string finish_reason;  // "eos", "stop", "length"
  int tokens = 0;
  double logprob = 0;         // sum over the sampled tokens
};

class InferenceModel {
 public:
  // `hf_format`: how prompts of a Hugging Face directory are shaped; a checkpoint keeps the
  // format it was trained with.
  static Expected<std::unique_ptr<InferenceModel>> load(const std::string& path, const std::string& device,
                                                        int threads, const PromptFormat& hf_format = {});
  ~InferenceModel();
  Expected<std::vector<Sample>> generate(const std::vector<std::string>& prompts,
                                         const SamplingConfig& cfg);
  // The text's ids with the post-processor's special tokens, and logprobs[i] = log p(ids[i+1] |
  // ids[0..i]) in float32.
  struct Scored {
    std::vector<int> ids;
    std::vector<float> logprobs;
  };
  Expected<Scored> score(const std::string& text);
  // A Hugging Face directory (hf_model.h): config.json, model.safetensors, tokenizer files.
  Status export_hf(const std::string& dir, const std::string& dtype);
  const Tokenizer& tokenizer() const;
  const ModelConfig& config() const;
  int64_t parameter_count() const;

  struct Impl;

 private:
  explicit InferenceModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Sets LibTorch's CPU threads; returns the measured float32 matmul speed in GFLOP/s so callers
// can warn when LibTorch runs on the reference BLAS (about 17x slower than OpenBLAS).
double init_torch_runtime(int threads);
constexpr double kSlowBlasGflops = 4.0;

}  // namespace stepcoder::model
