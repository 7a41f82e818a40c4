// SFT examples and batches (see sft_data.h).
#include "trainer/sft_data.h"

#include <algorithm>
#include <numeric>

#include "util/seed.h"

namespace stepcoder::trainer {

Expected<SftData> SftData::build(const std::vector<tasks::Problem>& problems, const model::Tokenizer& tok,
                       int context, uint64_t seed) {
  SftData d;
  d.pad_ = tok.pad_id() >= 0 ? tok.pad_id() : 0;
  d.seed_ = seed;
  for (const tasks::Problem& p : problems) {
    if (p.canonical_solution.empty()) continue;
    SftExample e;
    auto prompt = tok.encode_prompt(p.prompt);
    if (!prompt) return Error(p.task_id + ": " + prompt.error());
    e.ids = std::move(*prompt);
    e.prompt_len = static_cast<int>(e.ids.size());
    for (int id : tok.encode_ids(p.canonical_solution)) e.ids.push_back(id);
    if (tok.eos_id() >= 0) e.ids.push_back(tok.eos_id());
    if (static_cast<int>(e.ids.size()) > context) {
      ++d.skipped_long;
      continue;
    }
    d.examples_.push_back(std::move(e));
  }
  d.order_.resize(d.examples_.size());
  d.shuffle();
  return d;
}

void SftData::shuffle() {
  std::iota(order_.begin(), order_.end(), 0);
  std::mt19937_64 rng(mix_seed(seed_, static_cast<uint64_t>(epoch)));
  std::shuffle(order_.begin(), order_.end(), rng);
}

void SftData::seek(int64_t e, size_t c) {
  epoch = e;
  shuffle();
  cursor = std::min(c, order_.size());
}

SftBatch SftData::next_batch(int batch_size, const torch::Device& device) {
  std::vector<const SftExample*> rows;
  while (static_cast<int>(rows.size()) < batch_size && !examples_.empty()) {
    if (cursor >= order_.size()) {
      ++epoch;
      cursor = 0;
      shuffle();
    }
    rows.push_back(&examples_[order_[cursor++]]);
  }
  return collate(rows, device);
}

SftBatch SftData::batch_at(size_t start, int batch_size, const torch::Device& device) const {
  std::vector<const SftExample*> rows;
  for (size_t i = start; i < examples_.size() && static_cast<int>(rows.size()) < batch_size; ++i)
    rows.push_back(&examples_[i]);
  return collate(rows, device);
}

SftBatch SftData::random_batch(int batch_size, uint64_t seed, const torch::Device& device) const {
  std::vector<const SftExample*> rows;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < batch_size && !examples_.empty(); ++i)
    rows.push_back(&examples_[rng() % examples_.size()]);
  return collate(rows, device);
}

torch::Tensor supervised_loss(model::Transformer& m, const SftBatch& b) {
  auto logits = m->forward(b.input).logits;  // (B, T, V)
  auto nll = torch::nn::functional::cross_entropy(
      logits.reshape({-1, logits.size(-1)}), b.target.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
  auto mask = b.mask.reshape({-1});
  return (nll * mask).sum() / mask.sum().clamp_min(1.0);
}

SftBatch SftData::collate(const std::vector<const SftExample*>& rows, const torch::Device& device) const {
  size_t T = 1;
  for (const SftExample* e : rows) T = std::max(T, e->ids.size() - 1);
  const size_t B = rows.size();
  std::vector<int64_t> input(B * T, pad_), target(B * T, pad_);
  std::vector<float> mask(B * T, 0.0f);
  SftBatch b;
  for (size_t r = 0; r < B; ++r) {
    const SftExample& e = *rows[r];
    for (size_t t = 0; t + 1 < e.ids.size(); ++t) {
      input[r * T + t] = e.ids[t];
      target[r * T + t] = e.ids[t + 1];
      // Target t+1 is a solution token when it lies at or after the prompt's end.
      mask[r * T + t] = static_cast<int>(t + 1) >= e.prompt_len ? 1.0f : 0.0f;
    }
    b.tokens += static_cast<int64_t>(e.ids.size() - 1);
  }
  const auto shape = std::vector<int64_t>{static_cast<int64_t>(B), static_cast<int64_t>(T)};
  b.input = torch::tensor(input, torch::kLong).view(shape).to(device);
  b.target = torch::tensor(target, torch::kLong).view(shape).to(device);
  b.mask = torch::tensor(mask, torch::kFloat32).view(shape).to(device);
  return b;
}

}  // namespace stepcoder::trainer
