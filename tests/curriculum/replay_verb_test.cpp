// `stepcoder replay` on a run directory written here: episodes of really judged programs
// (passing, failing, not compiling), stored with the trainer's mask, line marks and reward
// chain, re-judge with zero differences; an edited verdict is reported and exits 1.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <cstdio>

#include "run/episode_store.h"
#include "curriculum/splitter.h"
#include "run/episode.h"
#include "tasks/problem_io.h"
#include "trainer/rewards.h"
#include "tests/app/run_cli.h"
#include "util/files.h"

namespace stepcoder::curriculum {
namespace {

using Cli = stepcoder::testing::Outcome;
using stepcoder::testing::run_cli;

tasks::Problem problem() {
  tasks::Problem p;
  p.task_id = "sum/pos";
  p.entry_point = "sum_pos";
  p.prompt = "#include <bits/stdc++.h>\nusing namespace std;\n// Sum of the positive elements.\nint sum_pos(vector<int> a) {\n";
  p.canonical_solution = "    int s = 0;\n    for (int v : a) {\n        if (v > 0) s += v;\n    }\n    return s;\n}\n";
  p.tests.kind = sandbox::Tests::Kind::Assert;
  p.tests.code = "int main() {\n    assert(sum_pos({1, -2, 3}) == 4);\n    assert(sum_pos({}) == 0);\n    assert(sum_pos({-1}) == 0);\n}\n";
  return p;
}

// Tokens of 3 bytes (the last one shorter): token_ends "3,6,...".
std::vector<std::pair<size_t, size_t>> tokens_of(const std::string& completion) {
  std::vector<std::pair<size_t, size_t>> spans;
  for (size_t b = 0; b < completion.size(); b += 3) spans.emplace_back(b, std::min(completion.size(), b + 3));
  return spans;
}

// The row the trainer stores for this completion: its judging (run::judge_episode, FGO on) and
// its reward chain without KL.
run::EpisodeRow judged_row(sandbox::Judge& judge, const tasks::Problem& staged, int stage, int stages,
                      const std::string& completion, int index, const run::RewardConfig& rc) {
  const auto spans = tokens_of(completion);
  const run::JudgedEpisode j = run::judge_episode(judge, staged, completion, spans, /*fgo=*/true);
  const std::string program = staged.program(completion);
  trainer::RewardChain chain = trainer::make_reward_chain(rc, /*kl=*/nullptr);
  trainer::RewardInput in{j.result, program, staged.prompt.size(), spans, torch::Tensor(), torch::Tensor()};
  run::EpisodeRow row;
  row.step = index / 2, row.index = index % 2, row.task_id = staged.task_id, row.stage = stage, row.stages = stages;
  row.prompt = staged.prompt, row.completion = completion, row.verdict = sandbox::verdict_name(j.result.verdict);
  const trainer::Shaped shaped = chain.compute(in);
  row.task_reward = (shaped.rewards.sum() + shaped.shaping.sum()).item<double>(), row.reward = row.task_reward;
  row.pass_ratio = j.result.pass_ratio, row.tokens = static_cast<int>(spans.size());
  row.mask = run::mask_text(j.executed);
  std::vector<int> ends;
  for (const auto& s : spans) ends.push_back(static_cast<int>(s.second));
  row.token_ends = run::join_ints(ends), row.lines = j.lines;
  row.message = j.result.message;
  return row;
}

class ReplayVerbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("replay-verb-test");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<TempDir>(std::move(*d));
    const std::string cache = std::string(STEPCODER_BINARY_DIR) + "/test-cache";
    ASSERT_TRUE(tasks::write_problems(dir_->file("train.jsonl"), {problem()}).ok());
    ASSERT_TRUE(write_file_atomic(dir_->file("config.yaml"),
                                  "sft:\n  train_file: " + dir_->file("train.jsonl") +
                                      "\ncurriculum:\n  enabled: true\n  split: control\nppo:\n  samples_per_prompt: 2\n"
                                      "  fgo: true\n  rewards:\n    adaptive: true\n    error_lines: true\n"
                                      "sandbox:\n  cache_dir: " + cache + "\n")
                    .ok());
    sandbox::SandboxConfig cfg;
    cfg.cache_dir = cache;
    auto judge = sandbox::SandboxJudge::create(cfg);
    ASSERT_TRUE(judge.ok()) << judge.error();
    run::RewardConfig rc;
    rc.adaptive = true, rc.error_lines = true;
    const tasks::Problem p = problem();
    ProblemSplit split = split_problems({p}, SplitOptions{}).problems[0];
    ASSERT_EQ(split.stages(), 3);
    const tasks::Problem s1 = stage_problem(p, split, 1), s3 = stage_problem(p, split, 3);
    const std::vector<run::EpisodeRow> rows = {
        judged_row(**judge, s1, 1, 3, s1.canonical_solution, 0, rc),                             // passes
        judged_row(**judge, s1, 1, 3, "if (v > 1) s += v;\n    }\n    return s;\n}\n", 1, rc),  // fails
        judged_row(**judge, s3, 3, 3, "    return a.size() +;\n}\n", 2, rc),                    // compile error
        judged_row(**judge, s3, 3, 3, "    if (a.size() > 100) return -1;\n    return a.empty() ? 0 : max(0, a[0]);\n}\n", 3, rc)};
    ASSERT_EQ(rows[0].verdict, "passed");
    ASSERT_EQ(rows[1].verdict, "failed");
    ASSERT_EQ(rows[2].verdict, "compile_error");
    ASSERT_NE(rows[3].mask.find('0'), std::string::npos);  // coverage masked something
    auto store = run::EpisodeStore::open(dir_->file("episodes.sqlite"));
    ASSERT_TRUE(store.ok()) << store.error();
    ASSERT_TRUE((*store)->append({rows[0], rows[1]}).ok());
    ASSERT_TRUE((*store)->append({rows[2], rows[3]}).ok());
  }

  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_->file("episodes.sqlite").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  std::unique_ptr<TempDir> dir_;
};

TEST_F(ReplayVerbTest, ReJudgedEpisodesMatchTheirRecords) {
  Cli c = run_cli("replay " + dir_->path() + " -j 2");
  EXPECT_EQ(c.code, 0) << c.output;
  EXPECT_NE(c.output.find("4 episodes re-judged, 0 differ"), std::string::npos) << c.output;
}

TEST_F(ReplayVerbTest, AnEditedVerdictIsReported) {
  sql("UPDATE episodes SET verdict = 'passed' WHERE step = 0 AND idx = 1");
  Cli c = run_cli("replay " + dir_->path());
  EXPECT_EQ(c.code, 1) << c.output;
  EXPECT_NE(c.output.find("step 0 index 1 sum/pos: verdict recorded passed, now failed"), std::string::npos) << c.output;
  EXPECT_NE(c.output.find("4 episodes re-judged, 1 differ"), std::string::npos) << c.output;
  // Why: what the judge says now, and where the tests ran; then how verdicts moved.
  EXPECT_NE(c.output.find("(failed: failed check tests.cpp:"), std::string::npos) << c.output;
  EXPECT_NE(c.output.find("[tests apart from the program]"), std::string::npos) << c.output;
  EXPECT_NE(c.output.find("verdict passed -> failed: 1 episodes"), std::string::npos) << c.output;
  Cli j = run_cli("replay " + dir_->path() + " --json --from-step 1");
  EXPECT_EQ(j.code, 0) << j.output;  // step 0 left out
  // A store that records where the tests ran compares that too.
  sql("UPDATE episodes SET isolation = 'in_process' WHERE step = 1 AND idx = 0");
  Cli iso = run_cli("replay " + dir_->path() + " --from-step 1");
  EXPECT_NE(iso.output.find("isolation recorded in_process, now split"), std::string::npos) << iso.output;
}

TEST_F(ReplayVerbTest, StagesShowHowEachProblemMoved) {
  Cli c = run_cli("replay " + dir_->path() + " --stages");
  EXPECT_EQ(c.code, 0) << c.output;
  EXPECT_NE(c.output.find("sum/pos (3 stages) 0:1:0.5 1:3:0"), std::string::npos) << c.output;
  Cli missing = run_cli("replay " + dir_->path() + "/missing");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("missing/config.yaml"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace stepcoder::curriculum
