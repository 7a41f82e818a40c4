// The PPO run directory on a fake judge: metrics per step, every episode stored with all its
// columns, checkpoints; and resume: N steps then --resume to 2N (also after a step that ran
// but was not checkpointed) ends with exactly the parameters and episodes of 2N in one go.
#include "trainer/ppo_train.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include <algorithm>

#include "run/episode_store.h"
#include "model/checkpoint.h"
#include "tasks/problem_io.h"
#include "tests/model/test_corpus.h"
#include "run/episode.h"
#include "run/metrics_log.h"
#include "util/files.h"

namespace stepcoder::trainer {
namespace {

// Verdict from the program's length, so samples of one prompt differ; thread-safe (no state).
class LengthJudge : public sandbox::Judge {
 public:
  sandbox::JudgeResult judge(const sandbox::JudgeRequest& req) override {
    sandbox::JudgeResult r;
    switch (req.program.size() % 3) {
      case 0: r.verdict = sandbox::Verdict::Passed, r.pass_ratio = 1.0; break;
      case 1: r.verdict = sandbox::Verdict::Failed, r.pass_ratio = 0.5; break;
      default:
        r.verdict = sandbox::Verdict::CompileError;
        r.diagnostics.push_back({/*line=*/2, /*column=*/1, "error", "expected ';'", false});
        r.message = "2:1: error: expected ';'";
    }
    return r;
  }
};

class PpoTrainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::set_num_threads(1);
    auto d = TempDir::create("stepcoder-ppo");
    ASSERT_TRUE(d) << d.error();
    dir_ = std::make_unique<TempDir>(std::move(*d));
    std::vector<tasks::Problem> ps;
    for (auto& [prompt, body] : model::testing::synthetic_tasks(6)) {
      tasks::Problem p;
      p.task_id = "syn/" + std::to_string(ps.size()), p.prompt = prompt, p.canonical_solution = body;
      p.tests.kind = sandbox::Tests::Kind::Assert, p.tests.code = "int main() { return 0; }";
      ps.push_back(p);
    }
    ASSERT_TRUE(tasks::write_problems(dir_->file("train.jsonl"), ps));
    model::TokenizerTrainOptions o;
    o.vocab_size = 600;
    auto tok = model::Tokenizer::train(model::testing::synthetic_texts(30), o);
    ASSERT_TRUE(tok) << tok.error();
    cfg_.model.dim = 32, cfg_.model.layers = 1, cfg_.model.heads = 2, cfg_.model.context = 96;
    cfg_.model.threads = 1, cfg_.model.vocab_size = tok->vocab_size();
    torch::manual_seed(5);
    model::Transformer m(cfg_.model);
    ASSERT_TRUE(model::save_checkpoint(dir_->file("init.pt"), m, *tok, nullptr, {0, "{}"}));
    cfg_.sft.train_file = dir_->file("train.jsonl");
    cfg_.train.init = dir_->file("init.pt");
    cfg_.train.save_every = 2, cfg_.train.seed = 7;
    cfg_.ppo.prompts_per_step = 2, cfg_.ppo.samples_per_prompt = 2, cfg_.ppo.minibatch_size = 2;
    cfg_.ppo.epochs = 2, cfg_.ppo.lr = 1e-3, cfg_.ppo.fgo = false;
    cfg_.ppo.rewards.kl_adaptive = true, cfg_.ppo.rewards.kl_horizon = 20;  // the coefficient moves
    cfg_.sampling.temperature = 1.0, cfg_.sampling.max_new_tokens = 6;
    cfg_.sampling.batch_size = 3;  // chunks of 3 of 4 rows: judging overlaps the second chunk
    cfg_.train.judge_workers = 2;
  }

  Expected<TrainSummary> run(const std::string& name, int64_t steps, bool resume) {
    run::TrainRunConfig c = cfg_;
    c.train.run_dir = dir_->file(name), c.train.steps = steps;
    TrainOptions o;
    o.resume = resume, o.progress = false, o.judge = &judge_;
    auto t = PpoTrainer::create(c, o);
    if (!t) return Error(t.error());
    return (*t)->train();
  }

  std::vector<run::EpisodeRow> rows(const std::string& name) {
    auto store = run::EpisodeStore::open(dir_->file(name + "/episodes.sqlite"));
    EXPECT_TRUE(store) << store.error();
    auto r = (*store)->read();
    EXPECT_TRUE(r) << r.error();
    return r ? *r : std::vector<run::EpisodeRow>{};
  }

  std::vector<Json> metrics(const std::string& name, const std::string& kind) {
    auto f = read_jsonl(dir_->file(name + "/metrics.jsonl"));
    EXPECT_TRUE(f) << f.error();
    std::vector<Json> out;
    if (f)
      for (auto& r : f->rows)
        if (r.value["kind"] == kind) out.push_back(r.value);
    return out;
  }

  void expect_same_parameters(const std::string& a, const std::string& b) {
    auto ca = model::load_checkpoint(dir_->file(a), "cpu"), cb = model::load_checkpoint(dir_->file(b), "cpu");
    ASSERT_TRUE(ca) << ca.error();
    ASSERT_TRUE(cb) << cb.error();
    EXPECT_EQ(ca->state.step, cb->state.step);
    auto pa = ca->model->named_parameters(), pb = cb->model->named_parameters();
    ASSERT_EQ(pa.size(), pb.size());
    for (const auto& p : pa) EXPECT_TRUE(torch::equal(p.value(), pb[p.key()])) << p.key();
  }

  static void expect_same_rows(const std::vector<run::EpisodeRow>& a,
                               const std::vector<run::EpisodeRow>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      SCOPED_TRACE("row " + std::to_string(i));
      EXPECT_EQ(a[i].step, b[i].step);
      EXPECT_EQ(a[i].index, b[i].index);
      EXPECT_EQ(a[i].task_id, b[i].task_id);
      EXPECT_EQ(a[i].completion, b[i].completion);
      EXPECT_EQ(a[i].verdict, b[i].verdict);
      EXPECT_EQ(a[i].reward, b[i].reward);  // bitwise: same weights, same KL coefficient
      EXPECT_EQ(a[i].task_reward, b[i].task_reward);
      EXPECT_EQ(a[i].kl, b[i].kl);
      EXPECT_EQ(a[i].mask, b[i].mask);
      EXPECT_EQ(a[i].token_ends, b[i].token_ends);
      EXPECT_EQ(a[i].lines, b[i].lines);
    }
  }

  std::unique_ptr<TempDir> dir_;
  run::TrainRunConfig cfg_;
  LengthJudge judge_;
};

TEST_F(PpoTrainTest, WritesMetricsEpisodesAndCheckpoints) {
  auto s = run("a", 3, false);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->steps, 3);
  EXPECT_EQ(s->episodes, 3 * 2 * 2);
  const auto ppo = metrics("a", "ppo");
  ASSERT_EQ(ppo.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ppo[i]["step"], i + 1);
    int n = 0;
    for (const Json& count : ppo[i]["verdicts"]) n += count.get<int>();
    EXPECT_EQ(n, 4);
    for (const char* k : {"reward", "task_reward", "pass_rate", "kl", "kl_coef", "entropy", "clip_fraction",
                          "approx_kl", "policy_loss", "value_loss", "kept_fraction", "mixed_verdict_share",
                          "grad_norm_policy", "grad_norm_sft", "grad_cosine", "kl_loss",
                          "coverage_share", "tokens_per_s", "curriculum"})
      EXPECT_TRUE(ppo[i].contains(k)) << k;
    for (const char* k : {"sample", "judge", "score", "update"}) EXPECT_GE(ppo[i]["time"][k].get<double>(), 0.0) << k;
  }
  EXPECT_EQ(metrics("a", "summary").size(), 1u);
  for (const char* f : {"checkpoints/step-2.pt", "checkpoints/step-3.pt", "checkpoints/last.pt",
                        "checkpoints/reference.pt", "config.yaml"})
    EXPECT_TRUE(file_exists(dir_->file(std::string("a/") + f))) << f;
  auto yaml = read_file(dir_->file("a/config.yaml"));
  ASSERT_TRUE(yaml);
  EXPECT_NE(yaml->find("samples_per_prompt: 2"), std::string::npos);

  const auto r = rows("a");
  ASSERT_EQ(r.size(), 12u);
  for (const auto& e : r) {
    EXPECT_EQ(static_cast<int>(e.mask.size()), e.tokens);
    EXPECT_EQ(std::count(e.token_ends.begin(), e.token_ends.end(), ',') + (e.tokens > 0), e.tokens);
    const std::string program = e.prompt + e.completion;
    const size_t lines = std::count(program.begin(), program.end(), '\n') + (program.back() != '\n');
    EXPECT_EQ(e.lines.size(), lines);
    EXPECT_EQ(e.verdict == "compile_error", e.lines[1] == '!') << e.lines;  // the fake's error line
    if (e.step > 1) {
      EXPECT_NE(e.task_reward, e.reward);  // the KL term (0 at step 1: policy = reference)
    }
  }
  // Resuming a finished run does nothing and keeps the store as it was.
  auto again = run("a", 3, true);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->first_step, 3);
  EXPECT_EQ(rows("a").size(), 12u);
  // Starting afresh in a used run directory is refused.
  auto clash = run("a", 3, false);
  ASSERT_FALSE(clash);
  EXPECT_NE(clash.error().find("--resume"), std::string::npos) << clash.error();
}

TEST_F(PpoTrainTest, TheGroupBaselineTakesItsKlAsALossTerm) {
  cfg_.ppo.advantage = "group", cfg_.ppo.value_coef = 0;
  auto s = run("g", 3, false);
  ASSERT_TRUE(s) << s.error();
  const auto ppo = metrics("g", "ppo");
  ASSERT_EQ(ppo.size(), 3u);
  for (const Json& line : ppo) EXPECT_GT(line["kl_loss"].get<double>(), 0.0);  // the policy left the reference
  EXPECT_FALSE(ppo[2]["reward_terms"].contains("kl"));
  for (const auto& e : rows("g")) EXPECT_EQ(e.reward, e.task_reward) << e.step;  // no KL among the rewards
}

TEST_F(PpoTrainTest, ResumeEndsWithTheModelAndEpisodesOfAnUninterruptedRun) {
  ASSERT_TRUE(run("whole", 4, false));
  ASSERT_TRUE(run("split", 2, false));
  auto s = run("split", 4, true);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->first_step, 2);
  expect_same_parameters("whole/checkpoints/last.pt", "split/checkpoints/last.pt");
  expect_same_rows(rows("whole"), rows("split"));
  // Not vacuous: the updates moved the policy away from where it started.
  auto start = model::load_checkpoint(dir_->file("init.pt"), "cpu");
  auto end = model::load_checkpoint(dir_->file("whole/checkpoints/last.pt"), "cpu");
  ASSERT_TRUE(start && end);
  EXPECT_FALSE(torch::equal(start->model->tok_embeddings->weight, end->model->tok_embeddings->weight));
  const auto ppo_whole = metrics("whole", "ppo"), ppo_split = metrics("split", "ppo");
  ASSERT_EQ(ppo_split.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(ppo_split[i]["step"], static_cast<int>(i + 1));
    EXPECT_EQ(ppo_split[i]["reward"], ppo_whole[i]["reward"]);
    EXPECT_EQ(ppo_split[i]["kl_coef"], ppo_whole[i]["kl_coef"]);
    EXPECT_EQ(ppo_split[i]["curriculum"], ppo_whole[i]["curriculum"]);
  }
}

TEST_F(PpoTrainTest, ResumeDropsTheStepsAfterTheCheckpoint) {
  ASSERT_TRUE(run("whole", 4, false));
  // Three steps with a checkpoint at 2, then last.pt rolled back to step 2: what a kill during
  // step 4 leaves when step 3's episodes and metrics were written but never checkpointed.
  ASSERT_TRUE(run("killed", 3, false));
  auto ck = read_file(dir_->file("killed/checkpoints/step-2.pt"));
  ASSERT_TRUE(ck);
  ASSERT_TRUE(write_file_atomic(dir_->file("killed/checkpoints/last.pt"), *ck));
  EXPECT_EQ(rows("killed").size(), 12u);
  auto s = run("killed", 4, true);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->first_step, 2);
  EXPECT_EQ(s->episodes, 16);
  expect_same_parameters("whole/checkpoints/last.pt", "killed/checkpoints/last.pt");
  expect_same_rows(rows("whole"), rows("killed"));
  std::vector<int> steps;
  for (const Json& j : metrics("killed", "ppo")) steps.push_back(j["step"].get<int>());
  EXPECT_EQ(steps, (std::vector<int>{1, 2, 3, 4}));
}

// model.lora: adapters on the start's weights train, the base stays as it was, and the KL
// reference is the base (the policy with its adapters off, not a copy); resume ends as the
// uninterrupted run does, and a resume with other adapters is refused.
TEST_F(PpoTrainTest, LoraTrainsAdaptersAgainstTheBaseAndResumes) {
  cfg_.model.lora.rank = 2;
  ASSERT_TRUE(run("whole", 3, false));
  ASSERT_TRUE(run("split", 2, false));
  expect_same_parameters("whole/checkpoints/step-2.pt", "split/checkpoints/step-2.pt");
  auto s = run("split", 3, true);
  ASSERT_TRUE(s) << s.error();
  expect_same_parameters("whole/checkpoints/last.pt", "split/checkpoints/last.pt");

  auto start = model::load_checkpoint(dir_->file("init.pt"), "cpu");
  auto end = model::load_checkpoint(dir_->file("whole/checkpoints/last.pt"), "cpu");
  auto ref = model::load_checkpoint(dir_->file("whole/checkpoints/reference.pt"), "cpu");
  ASSERT_TRUE(start && end && ref);
  EXPECT_EQ(end->config.lora.rank, 2);
  auto base = start->model->named_parameters();
  int adapters_moved = 0;
  for (const auto& p : end->model->named_parameters()) {
    const bool adapter = p.key().find("_lora.") != std::string::npos;
    if (adapter) {
      adapters_moved += !torch::equal(p.value(), ref->model->named_parameters()[p.key()]);
    } else if (p.key().rfind("value_head.", 0) != 0) {
      EXPECT_TRUE(torch::equal(p.value(), base[p.key()])) << p.key() << ": a base weight moved";
    }
  }
  EXPECT_GT(adapters_moved, 0);
  for (const auto& p : ref->model->named_parameters())
    if (p.key().size() > 7 && p.key().compare(p.key().size() - 7, 7, "_lora.b") == 0) {
      EXPECT_EQ(p.value().abs().max().item<float>(), 0.0f) << p.key() << ": the reference's adapters add nothing";
    }
  for (const auto& e : rows("whole")) {
    if (e.step > 1) {
      EXPECT_NE(e.task_reward, e.reward) << "the KL against the base (0 if the reference were the policy)";
    }
  }

  cfg_.model.lora.rank = 4;
  auto other = run("split", 4, true);
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().find("was trained with model.lora {rank: 2"), std::string::npos) << other.error();
}

TEST(TrainConfigTest, OneFileServesSftAndTrainAndUnknownTrainKeysAreErrors) {
  auto d = TempDir::create();
  ASSERT_TRUE(d);
  const std::string yaml = "model:\n  dim: 48\nppo:\n  samples_per_prompt: 3\ncurriculum:\n  enabled: true\n"
                           "train:\n  steps: 9\n  init: a.pt\n";
  ASSERT_TRUE(write_file_atomic(d->file("a.yaml"), yaml));
  run::TrainRunConfig cfg;
  ConfigSchema schema = run::train_run_schema(cfg);
  Status st = run::load_train_config(d->file("a.yaml"), schema);
  ASSERT_TRUE(st) << st.error();
  EXPECT_EQ(cfg.model.dim, 48);
  EXPECT_EQ(cfg.ppo.samples_per_prompt, 3);
  EXPECT_TRUE(cfg.curriculum.enabled);
  EXPECT_EQ(cfg.train.steps, 9);
  run::SftRunConfig sft;
  ConfigSchema sft_schema = run::sft_run_schema(sft);
  st = run::load_run_config(d->file("a.yaml"), sft_schema);  // sft skips ppo, curriculum and train
  ASSERT_TRUE(st) << st.error();
  EXPECT_EQ(sft.model.dim, 48);
  ASSERT_TRUE(write_file_atomic(d->file("b.yaml"), yaml + "  stepz: 3\n"));
  st = run::load_train_config(d->file("b.yaml"), schema);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("b.yaml:10:"), std::string::npos) << st.error();
}

TEST(RunMetricsTest, TruncationKeepsEarlierStepsAndDropsTornAndSummaryLines) {
  auto d = TempDir::create();
  ASSERT_TRUE(d);
  const std::string path = d->file("metrics.jsonl");
  ASSERT_TRUE(write_file_atomic(path, "{\"kind\":\"ppo\",\"step\":1}\n{\"kind\":\"eval\",\"step\":2}\n"
                                      "{\"kind\":\"summary\",\"steps\":2}\n{\"kind\":\"ppo\",\"step\":3}\n{\"kind\":\"pp"));
  auto dropped = run::truncate_metrics(path, 2);
  ASSERT_TRUE(dropped) << dropped.error();
  EXPECT_EQ(*dropped, 3);
  EXPECT_EQ(*read_file(path), "{\"kind\":\"ppo\",\"step\":1}\n{\"kind\":\"eval\",\"step\":2}\n");
}

TEST(LineMarksTest, ErrorAndCrashLinesWithoutCoverage) {
  sandbox::JudgeResult r;
  r.diagnostics.push_back({3, 1, "error", "x", false});
  r.diagnostics.push_back({1, 1, "warning", "y", false});
  r.tests.push_back({});
  r.tests.back().crash_line = 4;
  EXPECT_EQ(run::line_marks("a\nb\nc\nd\n", nullptr, r), "..!!");
  EXPECT_EQ(run::line_marks("a\n\nc", nullptr, sandbox::JudgeResult{}), "...");
  EXPECT_EQ(run::mask_text({1, 0, 1}), "101");
  EXPECT_EQ(run::join_ints({3, 7, 12}), "3,7,12");
}

}  // namespace
}  // namespace stepcoder::trainer
