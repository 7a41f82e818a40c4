// SFT: the pass@k estimator, loss masks, config loading beside other stages' sections, and a
// tiny end-to-end run that must learn synthetic tasks (judged by a fake that compares with
// the reference, so no compiler runs).
#include "trainer/sft.h"

#include <gtest/gtest.h>

#include "model/checkpoint.h"
#include "tasks/problem_io.h"
#include "tests/model/test_corpus.h"
#include "trainer/sft_data.h"
#include "trainer/sft_eval.h"
#include "util/files.h"

namespace stepcoder::trainer {
namespace {

TEST(PassAtKTest, MatchesTheClosedForm) {
  EXPECT_DOUBLE_EQ(pass_at_k(10, 0, 1), 0.0);
  EXPECT_DOUBLE_EQ(pass_at_k(10, 10, 5), 1.0);
  EXPECT_NEAR(pass_at_k(10, 3, 1), 0.3, 1e-12);
  // 1 - C(7,5)/C(10,5) = 1 - 21/252
  EXPECT_NEAR(pass_at_k(10, 3, 5), 1.0 - 21.0 / 252.0, 1e-12);
  EXPECT_DOUBLE_EQ(pass_at_k(4, 1, 4), 1.0);
}

std::vector<tasks::Problem> synthetic_problems(int n, int offset) {
  std::vector<tasks::Problem> out;
  auto pairs = model::testing::synthetic_tasks(n + offset);
  for (int i = offset; i < n + offset; ++i) {
    tasks::Problem p;
    p.task_id = "syn/" + std::to_string(i);
    p.prompt = pairs[i].first;
    p.canonical_solution = pairs[i].second;
    p.tests.kind = sandbox::Tests::Kind::Assert;
    p.tests.code = "int main() { return 0; }";
    out.push_back(p);
  }
  return out;
}

TEST(EvalSubsetTest, KeepsProblemsSpreadOverTheWholeSplit) {
  std::vector<tasks::Problem> ps(10);
  for (int i = 0; i < 10; ++i) ps[static_cast<size_t>(i)].task_id = "t" + std::to_string(i);
  std::vector<tasks::Problem> all = ps;
  keep_evenly_spaced(all, 0);  // 0 = every problem
  EXPECT_EQ(all.size(), 10u);
  keep_evenly_spaced(ps, 4);
  std::vector<std::string> ids;
  for (const tasks::Problem& p : ps) ids.push_back(p.task_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"t0", "t2", "t5", "t7"}));
}

TEST(EvalSubsetTest, TheSelectionSubsetAndTheReportedValidSplitAreDisjoint) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  std::vector<tasks::Problem> ps = synthetic_problems(10, 0);
  ASSERT_TRUE(tasks::write_problems(dir->file("valid.jsonl"), ps));
  run::SftConfig c;
  c.valid_file = dir->file("valid.jsonl"), c.select_problems = 4;
  auto ids = [](const Expected<std::vector<tasks::Problem>>& got) {
    std::vector<std::string> out;
    EXPECT_TRUE(got) << got.error();
    if (got)
      for (const auto& p : *got) out.push_back(p.task_id);
    return out;
  };
  EXPECT_EQ(ids(load_split(c, "select")), (std::vector<std::string>{"syn/0", "syn/2", "syn/5", "syn/7"}));
  EXPECT_EQ(ids(load_split(c, "valid")), (std::vector<std::string>{"syn/1", "syn/3", "syn/4", "syn/6", "syn/8", "syn/9"}));
  c.select_problems = 10;  // nothing left to report on
  auto none = load_split(c, "valid");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().find("sft.select_problems"), std::string::npos) << none.error();
  c.select_problems = 0;  // no subset: both are the whole file
  EXPECT_EQ(ids(load_split(c, "select")).size(), 10u);
  EXPECT_EQ(ids(load_split(c, "valid")).size(), 10u);
}

TEST(SftDataTest, LossCoversOnlyTheSolutionAndEos) {
  auto problems = synthetic_problems(3, 0);
  model::TokenizerTrainOptions o;
  o.vocab_size = 600;
  auto tok = model::Tokenizer::train(model::testing::synthetic_texts(30), o);
  ASSERT_TRUE(tok) << tok.error();
  auto built = SftData::build(problems, *tok, 200, 1);
  ASSERT_TRUE(built) << built.error();
  SftData& data = *built;
  ASSERT_EQ(data.size(), 3u);
  SftBatch b = data.batch_at(0, 1, torch::kCPU);
  const int prompt_len = static_cast<int>(tok->encode_ids(problems[0].prompt).size());
  const int solution_len = static_cast<int>(tok->encode_ids(problems[0].canonical_solution).size()) + 1;
  EXPECT_EQ(b.mask.sum().item<float>(), solution_len);
  EXPECT_EQ(b.mask[0][prompt_len - 2].item<float>(), 0.0f);
  EXPECT_EQ(b.mask[0][prompt_len - 1].item<float>(), 1.0f);  // predicts the first solution token
  EXPECT_EQ(b.target[0][prompt_len + solution_len - 2].item<int64_t>(), tok->eos_id());
  EXPECT_EQ(SftData::build(problems, *tok, 20, 1)->skipped_long, 3);
}

TEST(SftConfigTest, OtherStagesSectionsAreSkippedAndErrorsKeepTheirLine) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  run::SftRunConfig cfg;
  ConfigSchema schema = run::sft_run_schema(cfg);
  ASSERT_TRUE(write_file_atomic(dir->file("a.yaml"), "ppo:\n  kl: 0.1\nmodel:\n  dim: 128\n"));
  Status st = run::load_run_config(dir->file("a.yaml"), schema);
  ASSERT_TRUE(st) << st.error();
  EXPECT_EQ(cfg.model.dim, 128);
  ASSERT_TRUE(write_file_atomic(dir->file("b.yaml"), "ppo:\n  kl: 0.1\nmodel:\n  dimm: 128\n"));
  st = run::load_run_config(dir->file("b.yaml"), schema);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("b.yaml:4:"), std::string::npos) << st.error();
}

// Passes exactly the completions that reproduce the reference solution.
class ReferenceJudge : public sandbox::Judge {
 public:
  explicit ReferenceJudge(std::vector<tasks::Problem> ps) : problems_(std::move(ps)) {}
  sandbox::JudgeResult judge(const sandbox::JudgeRequest& req) override {
    sandbox::JudgeResult r;
    r.verdict = sandbox::Verdict::Failed;
    for (const auto& p : problems_)
      if (req.program == p.canonical_program()) r.verdict = sandbox::Verdict::Passed;
    return r;
  }

 private:
  std::vector<tasks::Problem> problems_;
};

TEST(SftRunTest, TinyModelLearnsSyntheticTasksAndCheckpoints) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  auto train = synthetic_problems(30, 0), valid = synthetic_problems(6, 0);  // valid = seen tasks
  ASSERT_TRUE(tasks::write_problems(dir->file("train.jsonl"), train));
  ASSERT_TRUE(tasks::write_problems(dir->file("valid.jsonl"), valid));
  run::SftRunConfig cfg;
  cfg.model.dim = 64, cfg.model.layers = 2, cfg.model.heads = 4, cfg.model.context = 128, cfg.model.threads = 1;
  cfg.sft.train_file = dir->file("train.jsonl"), cfg.sft.valid_file = dir->file("valid.jsonl");
  cfg.sft.run_dir = dir->file("run");
  cfg.sft.steps = 300, cfg.sft.batch_size = 8, cfg.sft.lr = 3e-3, cfg.sft.warmup_steps = 10;
  cfg.sft.eval_every = 150, cfg.sft.tokenizer_vocab = 600, cfg.sft.select_problems = 0;
  cfg.sampling.max_new_tokens = 40;
  ReferenceJudge judge(valid);
  SftOptions opts;
  opts.progress = false, opts.judge = &judge;
  auto s = run_sft(cfg, opts);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->steps, 300);
  EXPECT_GT(s->best_valid_pass1, 0.0);  // at least one exact reference reproduced
  EXPECT_LT(s->final_valid_loss, 0.5);
  auto ck = model::load_checkpoint(s->best_checkpoint, "cpu");
  ASSERT_TRUE(ck) << ck.error();
  EXPECT_EQ(ck->state.step, s->best_step);
  auto metrics = read_file(cfg.sft.run_dir + "/metrics.jsonl");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->find("\"valid_pass1\""), std::string::npos);

  // Resuming continues from the last step rather than starting over.
  cfg.sft.steps = 310;
  opts.resume = true;
  auto again = run_sft(cfg, opts);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->steps, 310);
  EXPECT_FALSE(again->time_limited);
}

// A one-layer model on 8 synthetic tasks, validated on 2 of them (written into `dir`).
run::SftRunConfig small_run(const TempDir& dir, std::vector<tasks::Problem>* valid) {
  auto train = synthetic_problems(8, 0);
  *valid = synthetic_problems(2, 0);
  EXPECT_TRUE(tasks::write_problems(dir.file("train.jsonl"), train));
  EXPECT_TRUE(tasks::write_problems(dir.file("valid.jsonl"), *valid));
  run::SftRunConfig cfg;
  cfg.model.dim = 32, cfg.model.layers = 1, cfg.model.heads = 2, cfg.model.context = 128, cfg.model.threads = 1;
  cfg.sft.train_file = dir.file("train.jsonl"), cfg.sft.valid_file = dir.file("valid.jsonl");
  cfg.sft.run_dir = dir.file("run");
  cfg.sft.batch_size = 2, cfg.sft.tokenizer_vocab = 600;
  cfg.sampling.max_new_tokens = 4;
  return cfg;
}

TEST(SftRunTest, TheTimeLimitIsAGuardThatSaysSo) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  std::vector<tasks::Problem> valid;
  run::SftRunConfig cfg = small_run(*dir, &valid);
  cfg.sft.select_problems = 1, cfg.sft.steps = 1000, cfg.sft.time_limit_s = 1e-3;
  ReferenceJudge judge(valid);
  SftOptions opts;
  opts.progress = false, opts.judge = &judge;
  testing::internal::CaptureStderr();
  auto s = run_sft(cfg, opts);
  const std::string err = testing::internal::GetCapturedStderr();
  ASSERT_TRUE(s) << s.error();
  EXPECT_LT(s->steps, 1000);
  EXPECT_TRUE(s->time_limited);
  EXPECT_NE(err.find("sft.time_limit_s"), std::string::npos) << err;
  auto metrics = read_file(cfg.sft.run_dir + "/metrics.jsonl");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->find("\"time_limited\":true"), std::string::npos);
}

// model.lora on SFT from a checkpoint: adapters train on its weights, which stay as they were.
TEST(SftRunTest, LoraTrainsAdaptersOnTheStartingCheckpoint) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  std::vector<tasks::Problem> valid;
  run::SftRunConfig cfg = small_run(*dir, &valid);
  cfg.sft.run_dir = dir->file("full"), cfg.sft.select_problems = 0, cfg.sft.eval_every = 0;
  cfg.sft.steps = 10, cfg.sft.warmup_steps = 2;
  ReferenceJudge judge(valid);
  SftOptions opts;
  opts.progress = false, opts.judge = &judge;
  auto full = run_sft(cfg, opts);
  ASSERT_TRUE(full) << full.error();

  cfg.model.init_from = full->last_checkpoint;  // it brings its tokenizer
  cfg.model.lora.rank = 2, cfg.model.lora.targets = {"wq", "wv"};
  cfg.sft.run_dir = dir->file("lora");
  auto lora = run_sft(cfg, opts);
  ASSERT_TRUE(lora) << lora.error();
  auto start = model::load_checkpoint(full->last_checkpoint, "cpu");
  auto end = model::load_checkpoint(lora->last_checkpoint, "cpu");
  ASSERT_TRUE(start && end);
  EXPECT_EQ(end->config.lora.rank, 2);
  auto base = start->model->named_parameters();
  int adapters = 0;
  for (const auto& p : end->model->named_parameters()) {
    if (p.key().find("_lora.") != std::string::npos) {
      ++adapters;
      if (p.key().size() > 2 && p.key().substr(p.key().size() - 2) == ".b") {
        EXPECT_GT(p.value().abs().max().item<float>(), 0.0f) << p.key() << " did not train";
      }
    } else if (p.key().rfind("value_head.", 0) != 0) {
      EXPECT_TRUE(torch::equal(p.value(), base[p.key()])) << p.key() << ": a base weight moved";
    }
  }
  EXPECT_EQ(adapters, 4) << "A and B of wq and wv in one layer";
}

}  // namespace
}  // namespace stepcoder::trainer
