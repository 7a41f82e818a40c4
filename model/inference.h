// The policy without LibTorch in the interface: load a checkpoint (or a Hugging Face Llama
// directory) and sample text. For the CLI and libraries that must not include <torch/torch.h>;
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
  static Expected<std::unique_ptr<InferenceModel>> load(const std::string& path,
                                                        const std::string& device, int threads);
  ~InferenceModel();
  Expected<std::vector<Sample>> generate(const std::vector<std::string>& prompts,
                                         const SamplingConfig& cfg);
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
