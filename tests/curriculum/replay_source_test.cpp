// Replay source: a run directory written here (config.yaml + an episode store) is served back
// step by step with the recorded (problem, stage) items, cycling past its end; problems or
// splits that no longer match are errors naming the task.
#include <gtest/gtest.h>

#include "curriculum/make_source.h"
#include "run/episode_store.h"
#include "curriculum/replay.h"
#include "curriculum/splitter.h"
#include "util/files.h"

namespace stepcoder::curriculum {
namespace {

tasks::Problem problem(const std::string& id, int loops) {
  tasks::Problem p;
  p.task_id = id;
  p.prompt = "#include <bits/stdc++.h>\nusing namespace std;\nint f(vector<int> a) {\n";
  p.canonical_solution = "    int s = 0;\n";  // the first line is never a split point
  for (int i = 0; i < loops; ++i) p.canonical_solution += "    for (int v : a) s += v;\n";
  p.canonical_solution += "    return s;\n}\n";
  return p;
}

run::ScheduleRow srow(int64_t step, int idx, const std::string& task, int stage, int stages) {
  return {step, idx, task, stage, stages};
}

TEST(RecordedSchedule, CutsStepsIntoRunsOfSamplesPerPrompt) {
  // Step 0: a/1 twice in a row (two items), then b/2; step 1: rows that do not fit K = 2.
  std::vector<run::ScheduleRow> rows = {srow(0, 0, "a", 1, 3), srow(0, 1, "a", 1, 3), srow(0, 2, "a", 1, 3),
                                   srow(0, 3, "a", 1, 3), srow(0, 4, "b", 2, 2), srow(0, 5, "b", 2, 2),
                                   srow(1, 0, "a", 2, 3), srow(1, 1, "b", 1, 2), srow(1, 2, "b", 1, 2)};
  auto steps = recorded_schedule(rows, 2);
  ASSERT_EQ(steps.size(), 2u);
  ASSERT_EQ(steps[0].items.size(), 3u);
  EXPECT_EQ(steps[0].items[2].task_id, "b");
  EXPECT_EQ(steps[0].items[2].stage, 2);
  ASSERT_EQ(steps[1].items.size(), 2u);  // fallback: runs of equal rows
  EXPECT_EQ(steps[1].step, 1);
  EXPECT_EQ(steps[1].items[0].stage, 2);
}

class ReplaySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("replay-source-test");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<TempDir>(std::move(*d));
    problems_ = {problem("p/0", 3), problem("p/1", 1), problem("p/2", 2)};
    ASSERT_TRUE(write_file_atomic(dir_->file("config.yaml"),
                                  "curriculum:\n  enabled: true\n  split: control\n  max_stages: 0\nppo:\n  samples_per_prompt: 2\n")
                    .ok());
  }

  // Two completions per item; items given as (task index, stage).
  void store(const std::vector<std::vector<std::pair<int, int>>>& steps, int stages_delta = 0) {
    auto st = run::EpisodeStore::open(dir_->file("episodes.sqlite"));
    ASSERT_TRUE(st.ok()) << st.error();
    SplitResult split = split_problems(problems_, SplitOptions{});
    for (size_t s = 0; s < steps.size(); ++s) {
      std::vector<run::EpisodeRow> rows;
      for (const auto& [p, stage] : steps[s])
        for (int k = 0; k < 2; ++k) {
          run::EpisodeRow r;
          r.step = static_cast<int64_t>(s), r.index = static_cast<int>(rows.size());
          r.task_id = problems_[p].task_id, r.stage = stage, r.stages = split.problems[p].stages() + stages_delta;
          r.verdict = "passed";
          rows.push_back(r);
        }
      ASSERT_TRUE((*st)->append(rows).ok());
    }
  }

  std::unique_ptr<TempDir> dir_;
  std::vector<tasks::Problem> problems_;
};

TEST_F(ReplaySourceTest, ServesTheRecordedItemsStepByStepAndCycles) {
  store({{{0, 1}, {1, 1}}, {{0, 2}, {2, 1}, {0, 1}}, {{2, 3}}});
  auto src = make_replay_source(dir_->path(), problems_);
  ASSERT_TRUE(src.ok()) << src.error();
  auto s1 = (*src)->next(1, 3);
  ASSERT_EQ(s1.size(), 3u);
  EXPECT_EQ(s1[0].problem, 0);
  EXPECT_EQ(s1[0].stage, 2);
  EXPECT_EQ(s1[0].stages, 4);  // three loops: 3 points + the whole program
  EXPECT_EQ(s1[1].problem, 2);
  EXPECT_EQ(s1[2].stage, 1);
  // The stage's prompt carries the solution up to the 2nd split point from the end.
  EXPECT_EQ(s1[0].task.canonical_solution, "for (int v : a) s += v;\n    for (int v : a) s += v;\n    return s;\n}\n");
  auto s2 = (*src)->next(2, 1);
  ASSERT_EQ(s2.size(), 1u);
  EXPECT_EQ(s2[0].stage, 3);
  EXPECT_EQ(s2[0].task.prompt, problems_[2].prompt);  // stage 3 of 3: the whole program
  EXPECT_FALSE((*src)->metrics()["replay_past_end"].get<bool>());
  auto again = (*src)->next(3, 2);  // past the end: step 0 again
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[1].problem, 1);
  EXPECT_TRUE((*src)->metrics()["replay_past_end"].get<bool>());
  EXPECT_EQ((*src)->metrics()["replay_cycled_steps"], 1);
  (*src)->record(3, {{0, 1, true, 1.0}, {1, 1, false, 0.0}});
  EXPECT_DOUBLE_EQ((*src)->metrics()["pass_rate_by_stage"]["1"].get<double>(), 0.5);
  Json saved = (*src)->state();
  auto other = make_replay_source(dir_->path(), problems_);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->restore(saved).ok());
  EXPECT_EQ((*other)->state(), saved);
}

TEST_F(ReplaySourceTest, StageCountsThatNoLongerMatchNameTheTask) {
  store({{{1, 1}}}, /*stages_delta=*/1);
  auto src = make_replay_source(dir_->path(), problems_);
  ASSERT_FALSE(src.ok());
  EXPECT_NE(src.error().find("task 'p/1' was recorded at stage 1 of 3, the splitter now gives it 2"), std::string::npos)
      << src.error();
}

TEST_F(ReplaySourceTest, MissingProblemsAndStoresAreErrors) {
  EXPECT_NE(make_replay_source(dir_->path(), problems_).error().find("no episode store"), std::string::npos);
  store({{{2, 1}}});
  problems_.pop_back();
  auto src = make_replay_source(dir_->path(), problems_);
  ASSERT_FALSE(src.ok());
  EXPECT_NE(src.error().find("task 'p/2'"), std::string::npos) << src.error();
}

}  // namespace
}  // namespace stepcoder::curriculum
