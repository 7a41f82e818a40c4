// The main job in miniature, through the CLI as configs/quickstart.yaml runs it: `stepcoder
// train` with run_sft_first (a few SFT steps, then PPO with CCCS and FGO in the real sandbox
// judge), `stepcoder eval` of the last checkpoint and `stepcoder report`. A tiny model on a few
// suite problems keeps it to about a minute; what it checks is that every stage hands the next
// what it needs, so a change that breaks the main job fails here rather than on a user's machine.
#include <gtest/gtest.h>

#include <set>

#include "run/episode_store.h"
#include "tasks/problem_io.h"
#include "tests/app/run_cli.h"
#include "util/files.h"
#include "util/jsonl.h"

namespace stepcoder {
namespace {

using testing::Outcome;
using testing::run_cli;

constexpr int kSteps = 4;          // PPO steps
constexpr int kPrompts = 2, kSamples = 2;

// Every `stride`-th problem of a suite split, so several families are in.
std::vector<tasks::Problem> some_problems(const std::string& split, size_t count, size_t stride) {
  auto set = tasks::load_problems(STEPCODER_SOURCE_DIR "/examples/suite/" + split + ".jsonl");
  EXPECT_TRUE(set) << set.error();
  std::vector<tasks::Problem> out;
  for (size_t i = 0; set && i < set->problems.size() && out.size() < count; i += stride) out.push_back(set->problems[i]);
  return out;
}

std::string config_text(const TempDir& d) {
  return "model:\n  dim: 32\n  layers: 1\n  heads: 2\n  context: 256\n  threads: 2\n"
         "sampling:\n  temperature: 1.0\n  max_new_tokens: 40\n  batch_size: 4\n"
         "sft:\n  train_file: " + d.file("train.jsonl") + "\n  valid_file: " + d.file("valid.jsonl") +
         "\n  test_file: " + d.file("test.jsonl") + "\n  run_dir: " + d.file("sft") +
         "\n  steps: 20\n  batch_size: 8\n  warmup_steps: 2\n  eval_every: 0\n  eval_problems: 2\n"
         "  tokenizer_vocab: 600\n"
         "eval:\n  temperatures: [0.0, 1.0]\n  n: 2\n  k: [1, 2]\n  problems: 3\n"
         "sandbox:\n  cache_dir: " STEPCODER_BINARY_DIR "/test-cache\n  workers: 2\n"
         "ppo:\n  prompts_per_step: " + std::to_string(kPrompts) + "\n  samples_per_prompt: " +
         std::to_string(kSamples) + "\n  minibatch_size: 2\n  epochs: 1\n  lr: 1.0e-3\n  fgo: true\n  sft_coef: 1.0\n"
         "curriculum:\n  enabled: true\n  max_stages: 3\n  advance: fixed\n  fixed_every: 2\n"
         "train:\n  run_dir: " + d.file("run") + "\n  run_sft_first: true\n  steps: " + std::to_string(kSteps) +
         "\n  save_every: 2\n  eval_every: 2\n  eval_problems: 3\n  eval_split: test\n  seed: 5\n";
}

std::vector<Json> metrics_of_kind(const std::string& path, const std::string& kind) {
  auto f = read_jsonl(path);
  EXPECT_TRUE(f) << f.error();
  std::vector<Json> out;
  if (f)
    for (const JsonlRow& r : f->rows)
      if (r.value.value("kind", "") == kind) out.push_back(r.value);
  return out;
}

TEST(PipelineTest, SftThenPpoWithCurriculumAndFgoThenEvalAndReport) {
  auto d = TempDir::create("stepcoder-pipeline");
  ASSERT_TRUE(d) << d.error();
  ASSERT_TRUE(tasks::write_problems(d->file("train.jsonl"), some_problems("train", 24, 113)));
  ASSERT_TRUE(tasks::write_problems(d->file("valid.jsonl"), some_problems("valid", 4, 59)));
  ASSERT_TRUE(tasks::write_problems(d->file("test.jsonl"), some_problems("test", 6, 97)));
  const std::string cfg = d->file("pipeline.yaml");
  ASSERT_TRUE(write_file_atomic(cfg, config_text(*d)));

  Outcome train = run_cli("train " + cfg);
  ASSERT_EQ(train.code, 0) << train.output;
  // SFT ran first and PPO started from its checkpoint.
  EXPECT_TRUE(file_exists(d->file("sft/checkpoints/last.pt")));
  EXPECT_FALSE(metrics_of_kind(d->file("sft/metrics.jsonl"), "train").empty());

  const std::string metrics = d->file("run/metrics.jsonl");
  std::vector<Json> ppo = metrics_of_kind(metrics, "ppo");
  ASSERT_EQ(ppo.size(), static_cast<size_t>(kSteps));
  std::set<std::string> stages_seen;
  for (size_t i = 0; i < ppo.size(); ++i) {
    EXPECT_EQ(ppo[i]["step"], static_cast<int>(i + 1));
    EXPECT_EQ(ppo[i]["completions"], kPrompts * kSamples);
    const double kept = ppo[i]["kept_fraction"];
    EXPECT_TRUE(kept >= 0 && kept <= 1) << kept;
    EXPECT_GT(ppo[i]["sft_loss"].get<double>(), 0.0);  // the supervised term ran
    for (auto& [stage, n] : ppo[i]["curriculum"]["stage_hist"].items())
      if (n.get<int>() > 0) stages_seen.insert(stage);
  }
  // fixed_every 2: the first steps draw stage 1, later ones stage 2 or beyond.
  EXPECT_TRUE(stages_seen.count("1")) << ppo.front()["curriculum"].dump();
  EXPECT_GE(stages_seen.size(), 2u) << ppo.back()["curriculum"].dump();
  // Held-out pass@1 before the first step, at step 2 and at the end.
  std::vector<int> eval_steps;
  for (const Json& e : metrics_of_kind(metrics, "eval")) {
    eval_steps.push_back(e["step"].get<int>());
    EXPECT_EQ(e["problems"], 3);
  }
  EXPECT_EQ(eval_steps, (std::vector<int>{0, 2, 4}));

  auto store = run::EpisodeStore::open(d->file("run/episodes.sqlite"));
  ASSERT_TRUE(store) << store.error();
  auto rows = (*store)->read();
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), static_cast<size_t>(kSteps * kPrompts * kSamples));
  for (const auto& r : *rows) {
    EXPECT_GE(r.stage, 1);
    EXPECT_LE(r.stage, r.stages);
    EXPECT_EQ(r.mask.size(), static_cast<size_t>(r.tokens)) << r.task_id;  // one FGO flag per token
  }

  const std::string last = d->file("run/checkpoints/last.pt");
  Outcome eval = run_cli("eval " + cfg + " --checkpoint " + last + " --json", /*stderr_too=*/false);
  ASSERT_EQ(eval.code, 0) << eval.output;
  Json ej = Json::parse(eval.output, nullptr, false);
  ASSERT_TRUE(ej.is_object()) << eval.output;
  EXPECT_EQ(ej["problems"], 3);
  ASSERT_EQ(ej["results"].size(), 2u);
  for (const Json& r : ej["results"]) {
    const double p1 = r["pass@1"];
    EXPECT_TRUE(p1 >= 0 && p1 <= 1) << r.dump();
  }

  Outcome report = run_cli("report " + d->file("run"));
  ASSERT_EQ(report.code, 0) << report.output;
  auto html = read_file(d->file("run/report.html"));
  ASSERT_TRUE(html) << html.error();
  EXPECT_NE(html->find("<svg"), std::string::npos);
  EXPECT_NE(html->find("pass@1 test"), std::string::npos);  // the held-out curve is drawn
  EXPECT_NE(html->find(rows->back().task_id), std::string::npos);  // the gallery shows the last step
}

}  // namespace
}  // namespace stepcoder
