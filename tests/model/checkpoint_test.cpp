// Checkpoints and Llama import: round trips, shape mismatches, damaged and missing files.
#include "model/checkpoint.h"

#include <gtest/gtest.h>

#include "model/llama_import.h"
#include "tests/model/tiny_model.h"
#include "util/files.h"

namespace stepcoder::model {
namespace {

using testing::tiny_config;
using testing::tiny_tokenizer;

TEST(CheckpointTest, RoundTripsWeightsOptimizerAndStep) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  torch::manual_seed(8);
  Transformer m(tiny_config());
  torch::optim::AdamW opt(m->parameters(), torch::optim::AdamWOptions(1e-3));
  auto ids = torch::randint(4, tiny_config().vocab_size, {2, 8}, torch::kLong);
  m->forward(ids).logits.mean().backward();
  opt.step();
  TrainState st{42, "{\"best\": 0.5}"};
  ASSERT_TRUE(save_checkpoint(dir->file("a.pt"), m, tiny_tokenizer(), &opt, st));
  auto ck = load_checkpoint(dir->file("a.pt"), "cpu");
  ASSERT_TRUE(ck) << ck.error();
  EXPECT_EQ(ck->state.step, 42);
  EXPECT_EQ(ck->state.extra, st.extra);
  EXPECT_EQ(ck->tokenizer->encode_ids("int x;"), tiny_tokenizer().encode_ids("int x;"));
  EXPECT_TRUE(torch::allclose(ck->model->forward(ids).logits, m->forward(ids).logits));

  Transformer fresh(tiny_config());
  torch::optim::AdamW opt2(fresh->parameters(), torch::optim::AdamWOptions(1e-3));
  TrainState back;
  ASSERT_TRUE(restore_training(dir->file("a.pt"), fresh, &opt2, &back));
  EXPECT_EQ(back.step, 42);
  EXPECT_TRUE(torch::allclose(fresh->forward(ids).logits, m->forward(ids).logits));
}

TEST(CheckpointTest, OtherShapeMissingAndDamagedFilesAreClearErrors) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  Transformer m(tiny_config());
  ASSERT_TRUE(save_checkpoint(dir->file("a.pt"), m, tiny_tokenizer(), nullptr, {}));
  ModelConfig wide = tiny_config();
  wide.dim = 64;
  Transformer other(wide);
  Status st = restore_training(dir->file("a.pt"), other, nullptr, nullptr);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("dim 32"), std::string::npos) << st.error();
  EXPECT_NE(st.error().find("dim 64"), std::string::npos) << st.error();

  auto missing = load_checkpoint(dir->file("none.pt"), "cpu");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("none.pt"), std::string::npos) << missing.error();
  auto bytes = read_file(dir->file("a.pt"));
  ASSERT_TRUE(bytes);
  ASSERT_TRUE(write_file_atomic(dir->file("torn.pt"), bytes->substr(0, bytes->size() / 2)));
  auto torn = load_checkpoint(dir->file("torn.pt"), "cpu");
  ASSERT_FALSE(torn);
  EXPECT_NE(torn.error().find("torn.pt"), std::string::npos) << torn.error();
  ASSERT_TRUE(write_file_atomic(dir->file("text.pt"), "hello"));
  EXPECT_FALSE(load_checkpoint(dir->file("text.pt"), "cpu"));
}

TEST(LlamaImportTest, ExportedWeightsImportToTheSameModel) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  ModelConfig c = tiny_config();
  c.kv_heads = 2, c.tie_embeddings = false, c.mlp_hidden = 48;
  torch::manual_seed(9);
  Transformer m(c);
  ASSERT_TRUE(export_llama(m, dir->file("llama")));
  auto back = import_llama(dir->file("llama"), "cpu");
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ((*back)->config().resolved_kv_heads(), 2);
  auto ids = torch::randint(4, c.vocab_size, {1, 10}, torch::kLong);
  m->eval();
  EXPECT_TRUE(torch::allclose((*back)->forward(ids).logits, m->forward(ids).logits, 1e-5, 1e-5));
}

TEST(LlamaImportTest, BadConfigAndMissingTensorsAreErrors) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  Transformer m(tiny_config());
  ASSERT_TRUE(export_llama(m, dir->file("llama")));
  ASSERT_TRUE(write_file_atomic(dir->file("llama/config.json"),
                                "{\"vocab_size\": 600, \"hidden_size\": 30, \"num_hidden_layers\": 2,"
                                " \"num_attention_heads\": 4, \"intermediate_size\": 64}"));
  auto bad = import_llama(dir->file("llama"), "cpu");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("does not divide"), std::string::npos) << bad.error();

  ModelConfig wide = tiny_config();
  wide.layers = 3;
  Transformer deeper(wide);
  Status st = load_llama_safetensors(dir->file("llama/model.safetensors"), deeper);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("missing tensor model.layers.2."), std::string::npos) << st.error();
}

}  // namespace
}  // namespace stepcoder::model
