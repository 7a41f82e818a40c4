// Supervised pairs for SFT: prompt -> canonical solution, tokenized once, served in shuffled
// right-padded batches whose loss mask covers only the solution tokens (and the EOS).
//
//   auto data = SftData::build(problems, tok, /*context=*/384, /*seed=*/1);  // Expected<SftData>
//   SftBatch b = data->next_batch(16, device);   // b.input (B, T), b.target (B, T), b.mask (B, T)
#pragma once

#include <torch/torch.h>

#include <random>
#include <string>
#include <vector>

#include "model/tokenizer.h"
#include "model/transformer.h"
#include "tasks/problem.h"

namespace stepcoder::trainer {

struct SftExample {
  std::vector<int> ids;  // prompt, solution, EOS
  int prompt_len = 0;
};

struct SftBatch {
  torch::Tensor input;   // (B, T) int64, padded with the pad id
  torch::Tensor target;  // (B, T) int64: input shifted by one
  torch::Tensor mask;    // (B, T) float: 1 where the target is a solution token
  int64_t tokens = 0;    // real (non-padding) input tokens
};

class SftData {
 public:
  // Problems without a solution are skipped; pairs longer than the context are skipped and
  // counted (skipped_long) so the caller can warn. Fails where a chat template raises.
  static Expected<SftData> build(const std::vector<tasks::Problem>& problems, const model::Tokenizer& tok,
                       int context, uint64_t seed);
  SftBatch next_batch(int batch_size, const torch::Device& device);
  // Batches in order, for validation loss (deterministic).
  SftBatch batch_at(size_t start, int batch_size, const torch::Device& device) const;
  // batch_size examples drawn at random, a function of `seed` alone: a caller that derives the
  // seed from its step resumes exactly without saving a cursor.
  SftBatch random_batch(int batch_size, uint64_t seed, const torch::Device& device) const;
  size_t size() const { return examples_.size(); }
  int skipped_long = 0;
  int64_t epoch = 0;
  size_t cursor = 0;  // position in the current epoch's order
  void seek(int64_t epoch, size_t cursor);

 private:
  SftBatch collate(const std::vector<const SftExample*>& rows, const torch::Device& device) const;
  void shuffle();

  std::vector<SftExample> examples_;
  std::vector<size_t> order_;
  int pad_ = 0;
  uint64_t seed_ = 0;
};

// Mean cross-entropy of the batch's solution tokens (mask 1) under `m`, with gradients.
torch::Tensor supervised_loss(model::Transformer& m, const SftBatch& b);

}  // namespace stepcoder::trainer
