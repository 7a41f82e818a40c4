// Transformer: shapes, causality, padding and KV-cache equivalence, clones, activation
// checkpointing, config checks.
#include "model/transformer.h"

#include <gtest/gtest.h>

#include "tests/model/tiny_model.h"

namespace stepcoder::model {
namespace {

using testing::tiny_config;

torch::Tensor random_ids(int64_t B, int64_t T, int vocab) { return torch::randint(4, vocab, {B, T}, torch::kLong); }

TEST(TransformerTest, ShapesAndParameterCount) {
  torch::manual_seed(0);
  Transformer m(tiny_config());
  auto out = m->forward(random_ids(3, 10, tiny_config().vocab_size));
  EXPECT_EQ(out.logits.sizes(), (std::vector<int64_t>{3, 10, tiny_config().vocab_size}));
  EXPECT_EQ(out.values.sizes(), (std::vector<int64_t>{3, 10}));
  ModelConfig untied = tiny_config();
  untied.tie_embeddings = false;
  EXPECT_EQ(Transformer(untied)->parameter_count() - m->parameter_count(),
            int64_t(untied.vocab_size) * untied.dim);
}

TEST(TransformerTest, IsCausal) {
  torch::manual_seed(1);
  Transformer m(tiny_config());
  auto ids = random_ids(1, 12, tiny_config().vocab_size);
  auto changed = ids.clone();
  changed[0][8] = (ids[0][8].item<int64_t>() + 1) % tiny_config().vocab_size;
  auto a = m->forward(ids).logits, b = m->forward(changed).logits;
  EXPECT_TRUE(torch::allclose(a.narrow(1, 0, 8), b.narrow(1, 0, 8), 1e-5, 1e-5));
  EXPECT_FALSE(torch::allclose(a.narrow(1, 8, 1), b.narrow(1, 8, 1), 1e-5, 1e-5));
}

TEST(TransformerTest, LeftPaddingAndCacheMatchThePlainForward) {
  torch::manual_seed(2);
  Transformer m(tiny_config());
  m->eval();
  torch::NoGradGuard no_grad;
  auto ids = random_ids(1, 9, tiny_config().vocab_size);
  auto ref = m->forward(ids);
  // The same 9 tokens behind 4 pad tokens, positions restarting at the first real token.
  auto padded = torch::cat({torch::full({1, 4}, 3, torch::kLong), ids}, 1);
  auto pos = torch::cat({torch::zeros({1, 4}, torch::kLong), torch::arange(9).view({1, 9})}, 1);
  auto valid = torch::cat({torch::zeros({1, 4}, torch::kBool), torch::ones({1, 9}, torch::kBool)}, 1);
  auto out = m->forward(padded, pos, valid);
  EXPECT_TRUE(torch::allclose(out.logits.narrow(1, 4, 9), ref.logits, 1e-4, 1e-4));
  // Prefill 5 tokens into a cache, then one token at a time.
  KVCache cache = m->new_cache(1, 16);
  auto first = m->forward(ids.narrow(1, 0, 5), {}, {}, &cache);
  EXPECT_TRUE(torch::allclose(first.logits, ref.logits.narrow(1, 0, 5), 1e-4, 1e-4));
  for (int t = 5; t < 9; ++t) {
    auto step = m->forward(ids.narrow(1, t, 1), {}, {}, &cache);
    EXPECT_TRUE(torch::allclose(step.logits[0][0], ref.logits[0][t], 1e-4, 1e-4)) << t;
    EXPECT_NEAR(step.values[0][0].item<float>(), ref.values[0][t].item<float>(), 1e-4);
  }
  EXPECT_EQ(cache.length, 9);
}

TEST(TransformerTest, FrozenCloneIsIndependentAndGradientFree) {
  torch::manual_seed(3);
  Transformer m(tiny_config());
  Transformer ref = clone_frozen(m);
  auto ids = random_ids(2, 6, tiny_config().vocab_size);
  EXPECT_TRUE(torch::allclose(m->forward(ids).logits, ref->forward(ids).logits));
  for (const auto& p : ref->parameters()) EXPECT_FALSE(p.requires_grad());
  {
    torch::NoGradGuard g;
    m->tok_embeddings->weight.add_(1.0);
  }
  EXPECT_FALSE(torch::allclose(m->forward(ids).logits, ref->forward(ids).logits));
}

TEST(TransformerTest, ScoresMatchTheLogits) {
  torch::manual_seed(4);
  Transformer m(tiny_config());
  auto ids = random_ids(2, 7, tiny_config().vocab_size);
  SequenceScores s = score_sequences(m, ids, /*temperature=*/0.5);
  auto logp = torch::log_softmax(m->forward(ids).logits / 0.5, -1);
  EXPECT_EQ(s.logprobs.sizes(), (std::vector<int64_t>{2, 6}));
  EXPECT_NEAR(s.logprobs[1][3].item<float>(), logp[1][3][ids[1][4].item<int64_t>()].item<float>(), 1e-5);
  EXPECT_TRUE(s.logprobs.requires_grad());  // PPO differentiates through it
  EXPECT_TRUE((s.entropy >= 0).all().item<bool>());
}

// The gradients of every trainable parameter after one backward of a loss on logits and values.
std::vector<torch::Tensor> gradients(Transformer& m, const torch::Tensor& ids) {
  m->train();
  for (auto& p : m->parameters()) p.mutable_grad() = torch::Tensor();
  auto out = m->forward(ids);
  (out.logits.logsumexp(-1).mean() + out.values.pow(2).mean() + out.logits.narrow(-1, 0, 1).mean()).backward();
  std::vector<torch::Tensor> g;
  for (const auto& p : m->trainable_parameters()) g.push_back(p.grad().clone());
  return g;
}

TEST(TransformerTest, ActivationCheckpointingGivesTheSameGradients) {
  for (int lora_rank : {0, 4}) {
    torch::manual_seed(12);
    ModelConfig c = tiny_config();
    c.lora.rank = lora_rank;  // under LoRA the frozen embeddings give the blocks an input without a graph
    Transformer plain(c);
    {
      torch::NoGradGuard no_grad;  // adapters that already moved: B = 0 would give A no gradient
      for (auto& p : plain->trainable_parameters()) p.add_(torch::randn_like(p) * 0.05);
    }
    Transformer recomputed = clone_model(plain, /*frozen=*/false);  // frozen as its config says
    ModelConfig run = c;
    run.checkpoint_activations = true;
    recomputed->apply_run_settings(run);
    auto ids = random_ids(2, 20, c.vocab_size);
    auto a = gradients(plain, ids), b = gradients(recomputed, ids);
    ASSERT_EQ(a.size(), b.size());
    ASSERT_FALSE(a.empty());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_GT(a[i].abs().sum().item<double>(), 0.0) << "rank " << lora_rank << " parameter " << i;
      EXPECT_TRUE(torch::allclose(a[i], b[i], 1e-4, 1e-6)) << "rank " << lora_rank << " parameter " << i;
    }
  }
}

TEST(ModelConfigTest, ImpossibleSizesAreClearErrors) {
  ModelConfig c = tiny_config();
  c.heads = 5;
  Status st = validate(c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("heads 5 does not divide model.dim 32"), std::string::npos) << st.error();
  c = tiny_config();
  c.kv_heads = 3;
  EXPECT_FALSE(validate(c));
  c = tiny_config();
  c.device = "tpu";
  EXPECT_FALSE(validate(c));
  c = tiny_config();
  c.checkpoint_activations = true, c.lora.rank = 2, c.lora.dropout = 0.1;
  st = validate(c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("model.checkpoint_activations needs model.lora.dropout: 0"), std::string::npos) << st.error();
  EXPECT_TRUE(validate(tiny_config()));
}

}  // namespace
}  // namespace stepcoder::model
