// `stepcoder train` end to end with the real sandbox judge: a run killed with SIGKILL after its
// first checkpoint and resumed ends like an uninterrupted one (metrics, episodes, parameters);
// `stepcoder replay` of a run finds its episodes as stored; bad input exits with 2 and a
// message naming the key before any step runs.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <torch/torch.h>

#include <chrono>
#include <thread>

#include "run/episode_store.h"
#include "model/checkpoint.h"
#include "tasks/problem_io.h"
#include "util/files.h"
#include "util/jsonl.h"
#include "util/process.h"

namespace stepcoder {
namespace {

const std::string kBinary = STEPCODER_BINARY_DIR "/stepcoder";

// Starts `stepcoder ARGS...` with stdout and stderr in `log`.
pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> argv{kBinary};
  argv.insert(argv.end(), args.begin(), args.end());
  SpawnOptions o;
  o.stdout_path = log, o.stderr_to_stdout = true;
  auto pid = spawn_process(argv, o);
  EXPECT_TRUE(pid) << pid.error();
  return pid ? *pid : -1;
}

int wait_exit(pid_t pid) {
  if (pid < 0) return -1;
  auto status = wait_process(pid);
  EXPECT_TRUE(status) << status.error();
  return status ? *status : -1;
}

class TrainCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(file_exists(kBinary)) << "build the stepcoder target first";
    auto d = TempDir::create("stepcoder-train-cli");
    ASSERT_TRUE(d) << d.error();
    dir_ = std::make_unique<TempDir>(std::move(*d));
    auto set = tasks::load_problems(STEPCODER_SOURCE_DIR "/examples/suite/train.jsonl");
    ASSERT_TRUE(set) << set.error();
    std::vector<std::string> texts;
    for (size_t i = 0; i < 300 && i < set->problems.size(); ++i)
      texts.push_back(set->problems[i].prompt + set->problems[i].canonical_solution);
    // A handful of problems of different families.
    std::vector<tasks::Problem> few;
    for (size_t i = 0; i < set->problems.size() && few.size() < 4; i += 97) few.push_back(set->problems[i]);
    ASSERT_TRUE(tasks::write_problems(dir_->file("train.jsonl"), few));
    model::TokenizerTrainOptions o;
    o.vocab_size = 500;
    auto tok = model::Tokenizer::train(texts, o);
    ASSERT_TRUE(tok) << tok.error();
    model::ModelConfig mc;
    mc.vocab_size = tok->vocab_size(), mc.dim = 32, mc.layers = 1, mc.heads = 2, mc.context = 256;
    torch::manual_seed(9);
    model::Transformer m(mc);
    ASSERT_TRUE(model::save_checkpoint(dir_->file("init.pt"), m, *tok, nullptr, {0, "{}"}));
    ASSERT_TRUE(write_file_atomic(config(), "model:\n  dim: 32\n  layers: 1\n  heads: 2\n  context: 256\n  threads: 1\n"
        "sampling:\n  temperature: 1.0\n  max_new_tokens: 16\n  batch_size: 2\n"
        "sft:\n  train_file: " + dir_->file("train.jsonl") + "\n"
        "sandbox:\n  cache_dir: " STEPCODER_BINARY_DIR "/test-cache\n  workers: 2\n"
        "ppo:\n  prompts_per_step: 2\n  samples_per_prompt: 2\n  minibatch_size: 2\n  epochs: 1\n  lr: 0.001\n"
        "  sft_coef: 0.5\n"  // the supervised term's draws must resume exactly too
        "train:\n  init: " + dir_->file("init.pt") + "\n  steps: 6\n  save_every: 2\n  seed: 3\n"));
  }

  std::string config() const { return dir_->file("train.yaml"); }

  int train(const std::vector<std::string>& extra, std::string* output = nullptr) {
    std::vector<std::string> args{"train", config()};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string log = dir_->file("log.txt");
    int code = wait_exit(spawn(args, log));
    auto text = read_file(log);
    if (output) *output = text ? *text : "";
    return code;
  }

  std::vector<int64_t> ppo_steps(const std::string& run) {
    std::vector<int64_t> steps;
    auto f = read_jsonl(dir_->file(run + "/metrics.jsonl"));
    EXPECT_TRUE(f) << f.error();
    if (f)
      for (auto& r : f->rows)
        if (r.value["kind"] == "ppo") steps.push_back(r.value["step"].get<int64_t>());
    return steps;
  }

  std::unique_ptr<TempDir> dir_;
};

TEST_F(TrainCliTest, SigkillAfterACheckpointThenResumeEndsLikeAnUninterruptedRun) {
  std::string out;
  ASSERT_EQ(train({"--set", "train.run_dir=" + dir_->file("whole")}, &out), 0) << out;

  // Killed while step 4 runs: step 3 finished (episodes, metrics) but only step 2 is checkpointed.
  const std::string run = dir_->file("killed");
  pid_t pid = spawn({"train", config(), "--set", "train.run_dir=" + run}, dir_->file("killed.log"));
  bool saw_step3 = false;
  for (int i = 0; i < 6000 && !saw_step3; ++i) {
    auto text = read_file(run + "/metrics.jsonl");
    saw_step3 = text && text->find("\"step\":3") != std::string::npos;
    if (!saw_step3) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(saw_step3) << *read_file(dir_->file("killed.log"));
  ASSERT_EQ(waitpid(pid, nullptr, WNOHANG), 0) << "the run ended before it could be killed";
  kill(pid, SIGKILL);
  EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
  EXPECT_TRUE(file_exists(run + "/checkpoints/step-2.pt"));
  EXPECT_FALSE(file_exists(run + "/checkpoints/step-4.pt"));

  ASSERT_EQ(train({"--set", "train.run_dir=" + run, "--resume"}, &out), 0) << out;
  EXPECT_EQ(ppo_steps("killed"), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ppo_steps("whole"), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));

  auto a = run::EpisodeStore::open(dir_->file("whole/episodes.sqlite"));
  auto b = run::EpisodeStore::open(run + "/episodes.sqlite");
  ASSERT_TRUE(a && b);
  auto ra = (*a)->read(), rb = (*b)->read();
  ASSERT_TRUE(ra && rb);
  ASSERT_EQ(ra->size(), 6u * 2 * 2);
  ASSERT_EQ(rb->size(), ra->size());
  for (size_t i = 0; i < ra->size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    EXPECT_EQ((*ra)[i].step, (*rb)[i].step);
    EXPECT_EQ((*ra)[i].completion, (*rb)[i].completion);
    EXPECT_EQ((*ra)[i].verdict, (*rb)[i].verdict);
    EXPECT_EQ((*ra)[i].reward, (*rb)[i].reward);
    EXPECT_EQ((*ra)[i].mask, (*rb)[i].mask);
    EXPECT_EQ((*ra)[i].lines, (*rb)[i].lines);
  }
  auto ca = model::load_checkpoint(dir_->file("whole/checkpoints/last.pt"), "cpu");
  auto cb = model::load_checkpoint(run + "/checkpoints/last.pt", "cpu");
  ASSERT_TRUE(ca && cb);
  EXPECT_EQ(ca->state.step, 6);
  EXPECT_EQ(cb->state.step, 6);
  auto pb = cb->model->named_parameters();
  for (const auto& p : ca->model->named_parameters()) EXPECT_TRUE(torch::equal(p.value(), pb[p.key()])) << p.key();
}

// Replay re-judges the episodes the trainer itself stored (its rollout, coverage and rewards)
// and finds every column as recorded: both run run::judge_episode and run/reward.h.
TEST_F(TrainCliTest, ReplayOfTheTrainersOwnEpisodesFindsNoDifference) {
  std::string out;
  const std::string run = dir_->file("replayed");
  ASSERT_EQ(train({"--set", "train.run_dir=" + run, "--set", "train.steps=2", "--set", "ppo.rewards.adaptive=true",
                   "--set", "ppo.rewards.error_lines=true"}, &out), 0) << out;
  const std::string log = dir_->file("replay.log");
  EXPECT_EQ(wait_exit(spawn({"replay", run}, log)), 0) << *read_file(log);
  auto text = read_file(log);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("8 episodes re-judged, 0 differ"), std::string::npos) << *text;
}

TEST_F(TrainCliTest, BadInputExitsWithTwoBeforeTraining) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  ASSERT_TRUE(write_file_atomic(dir_->file("nosolutions.jsonl"),
                                "{\"task_id\":\"x/0\",\"prompt\":\"int f() {\\n\",\"tests\":{\"kind\":\"assert\","
                                "\"code\":\"int main() { return f(); }\"}}\n"));
  const std::vector<Case> cases = {
      {{"--set", "train.stepz=3"}, "train.stepz"},
      {{"--set", "train.init=" + dir_->file("missing.pt")}, "missing.pt does not exist"},
      {{"--set", "model.dim=64"}, "shape"},
      {{"--set", "curriculum.enabled=true", "--set", "sft.train_file=" + dir_->file("nosolutions.jsonl")},
       "canonical_solution"},
      {{"--set", "curriculum.enabled=false", "--set", "sft.train_file=" + dir_->file("nosolutions.jsonl")},
       "ppo.sft_coef > 0 needs"},  // the fixture's supervised term trains on reference solutions
      {{"--set", "sandbox.compiler=/nonexistent/g++"}, "sandbox"},
      {{"--set", "sampling.top_p=0.9"}, "sampling.top_k / sampling.top_p: PPO's rollouts"},
      {{"--set", "train.run_dir=" + dir_->file("fresh"), "--resume"}, "last.pt does not exist"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    if (c.says != "last.pt does not exist") args.insert(args.end(), {"--set", "train.run_dir=" + dir_->file("bad")});
    std::string out;
    EXPECT_EQ(train(args, &out), 2) << out;
    EXPECT_NE(out.find(c.says), std::string::npos) << out;
    // The message is the last line (only a slow-BLAS warning may come before it).
    const size_t last = out.rfind('\n', out.size() >= 2 ? out.size() - 2 : 0);
    EXPECT_EQ(out.compare(last == std::string::npos ? 0 : last + 1, 11, "stepcoder: "), 0) << out;
  }
  EXPECT_FALSE(file_exists(dir_->file("bad/episodes.sqlite")));  // nothing was trained
}

}  // namespace
}  // namespace stepcoder
