// run/recorded_run.h: a recorded run's config.yaml comes back through the trainer's own schema:
// the keys it holds, the trainer's defaults for the rest, and errors naming the file, the line
// and the key for what the schema rejects.
#include "run/recorded_run.h"

#include <gtest/gtest.h>

#include "run/layout.h"
#include "util/files.h"

namespace stepcoder::run {
namespace {

class RecordedRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("recorded-run");
    ASSERT_TRUE(d) << d.error();
    dir_ = std::make_unique<TempDir>(std::move(*d));
  }
  Expected<RecordedRun> read(const std::string& yaml) {
    EXPECT_TRUE(write_file_atomic(RunLayout(dir_->path()).config(), yaml));
    return read_recorded_run(dir_->path());
  }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(RecordedRunTest, KeysComeBackAndTheRestKeepsTheTrainersDefaults) {
  auto r = read("ppo:\n  samples_per_prompt: 6\n  fgo: false\n  rewards:\n    adaptive: true\n"
                "curriculum:\n  enabled: true\n  split: line\n"
                "sft:\n  run_dir: runs/s\n  train_file: data/train.jsonl\n"
                "train:\n  init: runs/s/checkpoints/best.pt\n");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->config.ppo.samples_per_prompt, 6);
  EXPECT_FALSE(r->config.ppo.fgo);
  EXPECT_TRUE(r->config.ppo.rewards.adaptive);
  EXPECT_TRUE(r->config.curriculum.enabled);
  EXPECT_EQ(r->config.curriculum.split, "line");
  EXPECT_EQ(r->config.sft.train_file, "data/train.jsonl");
  EXPECT_EQ(r->sft_run_dir, "runs/s") << "train.init is a checkpoint of that SFT run";
  const TrainRunConfig defaults;
  EXPECT_EQ(r->config.ppo.rewards.failed, defaults.ppo.rewards.failed);
  EXPECT_EQ(r->config.curriculum.max_stages, defaults.curriculum.max_stages);
}

TEST_F(RecordedRunTest, AnSftRunOfItsOwnIsNotAStartingPoint) {
  auto r = read("sft:\n  run_dir: runs/s\ntrain:\n  init: elsewhere/best.pt\n");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->sft_run_dir, "");
}

TEST_F(RecordedRunTest, ARejectedValueNamesTheFileTheLineAndTheKey) {
  auto r = read("curriculum:\n  split: diagonal\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("config.yaml:2"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("curriculum.split"), std::string::npos) << r.error();
}

TEST_F(RecordedRunTest, AnUnknownKeyIsAnError) {
  auto r = read("ppo:\n  samples_per_promt: 6\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("samples_per_promt"), std::string::npos) << r.error();
}

TEST_F(RecordedRunTest, ADirectoryThatIsNotARunSaysSo) {
  auto r = read_recorded_run(dir_->file("nothing-here/"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("nothing-here/config.yaml"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("run directory"), std::string::npos) << r.error();
}

}  // namespace
}  // namespace stepcoder::run
