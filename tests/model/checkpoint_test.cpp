// Checkpoints: round trips, shape mismatches, damaged and missing files.
#include "model/checkpoint.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace stepcoder::model
