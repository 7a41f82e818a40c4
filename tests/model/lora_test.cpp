// LoRA adapters: a fresh adapter changes nothing; training moves the adapters and the value head
// only; switched off, the model is its base bit for bit; merged, it computes what it did with
// them; checkpoints keep them; bad target names are named.
#include <gtest/gtest.h>

#include <map>

#include "model/checkpoint.h"
#include "model/hf_model.h"
#include "model/lora.h"
#include "model/transformer.h"
#include "tests/model/tiny_model.h"
#include "util/config.h"
#include "util/files.h"

namespace stepcoder::model {
namespace {

using testing::tiny_config;
using testing::tiny_tokenizer;

LoraConfig rank(int r, std::vector<std::string> targets = {"wq", "wk", "wv", "wo", "gate", "up", "down"}) {
  LoraConfig l;
  l.rank = r, l.alpha = 2.0 * r, l.targets = std::move(targets);
  return l;
}

torch::Tensor batch() {
  torch::manual_seed(7);
  return torch::randint(3, tiny_config().vocab_size, {2, 12}, torch::kLong);
}

// A few AdamW steps on the next-token loss: every parameter that trains moves.
void train(Transformer& m, int steps = 3) {
  torch::optim::AdamW opt(m->trainable_parameters(), torch::optim::AdamWOptions(1e-2));
  auto ids = batch();
  for (int i = 0; i < steps; ++i) {
    auto out = m->forward(ids);
    auto logits = out.logits.narrow(1, 0, 11).reshape({-1, out.logits.size(-1)});
    auto loss = torch::nn::functional::cross_entropy(logits, ids.narrow(1, 1, 11).reshape({-1})) +
                (out.values - 1).pow(2).mean();
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
}

std::map<std::string, torch::Tensor> snapshot(const Transformer& m) {
  std::map<std::string, torch::Tensor> out;
  for (const auto& p : m->named_parameters()) out[p.key()] = p.value().detach().clone();
  return out;
}

TEST(LoraTest, AFreshAdapterComputesWhatItsBaseDoes) {
  torch::manual_seed(1);
  Transformer base(tiny_config());
  Transformer adapted = with_adapters(base, rank(4), 3);
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(adapted->forward(batch()).logits, base->forward(batch()).logits))
      << "B starts at zero, so W x + B A x is W x exactly";
  // A comes from a generator of its own: the seed decides it, not the global stream.
  torch::manual_seed(99);
  Transformer again = with_adapters(base, rank(4), 3), other = with_adapters(base, rank(4), 4);
  const torch::Tensor a3 = adapted->named_parameters()["blocks.0.attn.wq_lora.a"];
  EXPECT_TRUE(torch::equal(again->named_parameters()["blocks.0.attn.wq_lora.a"], a3));
  EXPECT_FALSE(torch::equal(other->named_parameters()["blocks.0.attn.wq_lora.a"], a3));
}

TEST(LoraTest, TrainingMovesOnlyTheAdaptersAndTheValueHead) {
  torch::manual_seed(1);
  Transformer base(tiny_config());
  const int r = 4;
  Transformer m = with_adapters(base, rank(r), 3);
  const ModelConfig c = m->config();
  int64_t trainable = 0;
  for (const auto& p : m->trainable_parameters()) trainable += p.numel();
  // Per layer: 4 attention and 3 MLP adapters of r (in + out) each, plus the value head.
  const int64_t d = c.dim, h = c.resolved_mlp_hidden(), kv = c.resolved_kv_heads() * c.head_dim();
  const int64_t per_layer = r * ((d + d) + (d + kv) * 2 + (d + d) + 2 * (d + h) + (h + d));
  EXPECT_EQ(trainable, c.layers * per_layer + d + 1);

  auto before = snapshot(m);
  train(m);
  int changed = 0, adapters = 0;
  for (const auto& p : m->named_parameters()) {
    const bool moved = !torch::equal(p.value(), before[p.key()]);
    const bool may_train = p.key().find("_lora.") != std::string::npos || p.key().rfind("value_head.", 0) == 0;
    adapters += p.key().find("_lora.") != std::string::npos;
    EXPECT_TRUE(!moved || may_train) << p.key() << " is a base weight and moved";
    changed += moved;
  }
  EXPECT_EQ(adapters, 2 * 7 * c.layers);
  EXPECT_EQ(changed, adapters + 2) << "every adapter matrix and the value head's weight and bias train";
}

TEST(LoraTest, AdaptersOffAreTheBaseModelBitForBitAndMergedAreTheAdaptedModel) {
  torch::manual_seed(1);
  Transformer base(tiny_config());
  Transformer m = with_adapters(base, rank(4, {"q_proj", "v_proj", "down"}), 3);  // Hugging Face names too
  train(m);
  m->eval();
  base->eval();
  torch::NoGradGuard no_grad;
  auto adapted = m->forward(batch()).logits;
  m->set_adapters_enabled(false);
  EXPECT_TRUE(torch::equal(m->forward(batch()).logits, base->forward(batch()).logits));
  EXPECT_FALSE(torch::equal(adapted, base->forward(batch()).logits)) << "training changed the adapted model";
  m->set_adapters_enabled(true);
  EXPECT_TRUE(torch::equal(m->forward(batch()).logits, adapted));

  Transformer merged = merge_adapters(m);
  EXPECT_FALSE(merged->config().lora.enabled());
  EXPECT_EQ(merged->parameter_count(), base->parameter_count());
  merged->eval();
  EXPECT_TRUE(torch::allclose(merged->forward(batch()).logits, adapted, /*rtol=*/1e-4, /*atol=*/1e-5));
}

TEST(LoraTest, CheckpointsKeepTheAdapters) {
  torch::manual_seed(1);
  Transformer base(tiny_config());
  Transformer m = with_adapters(base, rank(2, {"wq", "up"}), 3);
  train(m, 2);
  auto dir = TempDir::create("lora-test");
  ASSERT_TRUE(dir);
  ASSERT_TRUE(save_checkpoint(dir->file("a.pt"), m, tiny_tokenizer(), nullptr, {}));
  auto ck = load_checkpoint(dir->file("a.pt"), "cpu");
  ASSERT_TRUE(ck) << ck.error();
  EXPECT_TRUE(ck->config.lora == m->config().lora);
  m->eval();
  ck->model->eval();
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(ck->model->forward(batch()).logits, m->forward(batch()).logits));
  EXPECT_EQ(ck->model->trainable_parameters().size(), m->trainable_parameters().size());
}

TEST(LoraTest, BadSettingsAreNamed) {
  ModelConfig c = tiny_config();
  c.lora = rank(4, {"wq", "qproj"});
  Status st = validate(c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("'qproj' is not a projection"), std::string::npos) << st.error();
  c.lora = rank(4, {});
  EXPECT_FALSE(validate(c));
  c.lora = rank(4), c.lora.alpha = 0;
  EXPECT_FALSE(validate(c));
  c.lora.rank = 0;  // off: the rest is not looked at
  EXPECT_TRUE(validate(c));
  ConfigSchema schema;
  ModelConfig y;
  describe(y, schema, "model");
  ASSERT_TRUE(schema.set("model.lora.rank=8"));
  ASSERT_TRUE(schema.set("model.lora.targets=[wq, wv]"));
  EXPECT_EQ(y.lora.rank, 8);
  EXPECT_EQ(y.lora.targets, (std::vector<std::string>{"wq", "wv"}));
}

// Export writes the adapters merged into their projections: the Hugging Face model computes
// what the adapted one does.
TEST(LoraTest, ExportMergesTheAdapters) {
  torch::manual_seed(1);
  Transformer base(tiny_config());
  Transformer m = with_adapters(base, rank(4), 3);
  train(m);
  m->eval();
  auto dir = TempDir::create("lora-export");
  ASSERT_TRUE(dir);
  ASSERT_TRUE(export_hf(m, tiny_tokenizer(), dir->file("hf")));
  auto back = import_hf(dir->file("hf"), "cpu");
  ASSERT_TRUE(back) << back.error();
  EXPECT_FALSE((*back)->config().lora.enabled());
  torch::NoGradGuard no_grad;
  auto want = m->forward(batch()).logits;
  EXPECT_TRUE(torch::allclose((*back)->forward(batch()).logits, want, 1e-4, 1e-5));
  EXPECT_FALSE(torch::allclose(base->forward(batch()).logits, want, 1e-4, 1e-5)) << "the adapters changed the model";
}

}  // namespace
}  // namespace stepcoder::model
