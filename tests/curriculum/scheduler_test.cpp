// CCCS scheduler with scripted outcomes: advancing at the threshold, one stage at a time, the
// fixed policy, the mix of earlier stages, the shuffled-order control, and exact continuation
// after state()/restore().
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "curriculum/make_source.h"
#include "curriculum/scheduler.h"

namespace stepcoder::curriculum {
namespace {

// `n` problems whose solutions have `points` split points each (no Clang needed).
struct Fixture {
  std::vector<tasks::Problem> problems;
  SplitResult split;
};

Fixture make(int n, int points) {
  Fixture f;
  for (int i = 0; i < n; ++i) {
    tasks::Problem p;
    p.task_id = "t/" + std::to_string(i);
    p.prompt = "// problem " + std::to_string(i) + "\n";
    ProblemSplit s;
    for (int k = 0; k < points + 1; ++k) p.canonical_solution += "line" + std::to_string(k) + "\n";
    for (int k = 1; k <= points; ++k) s.points.push_back(static_cast<size_t>(6 * k));
    f.problems.push_back(p);
    f.split.problems.push_back(s);
  }
  return f;
}

run::CurriculumConfig perf(double threshold = 0.5, int min_attempts = 4, int window = 4) {
  run::CurriculumConfig c;
  c.enabled = true, c.advance = "performance", c.threshold = threshold;
  c.min_attempts = min_attempts, c.window = window, c.mix_earlier = 0;
  return c;
}

std::unique_ptr<ProblemSource> source(const run::CurriculumConfig& c, const Fixture& f, uint64_t seed = 7) {
  return make_cccs_source(c, f.problems, f.split, seed);
}

void record(ProblemSource& s, int problem, int stage, const std::string& outcomes) {
  std::vector<Outcome> os;
  for (char ch : outcomes) os.push_back({problem, stage, ch == '1', ch == '1' ? 1.0 : 0.0});
  s.record(0, os);
}

int stage_of(ProblemSource& s, int problem) { return s.state()["stage"][problem].get<int>(); }

TEST(Scheduler, StartsAtStageOneWithTheLastPartToComplete) {
  Fixture f = make(3, 3);
  auto s = source(perf(), f);
  auto items = s->next(0, 6);
  ASSERT_EQ(items.size(), 6u);
  for (const Item& it : items) {
    EXPECT_EQ(it.stage, 1);
    EXPECT_EQ(it.stages, 4);
    EXPECT_EQ(it.task.canonical_solution, "line3\n");
    EXPECT_EQ(it.task.prompt, f.problems[it.problem].prompt + "line0\nline1\nline2\n");
  }
}

TEST(Scheduler, AdvancesWhenTheWindowReachesTheThreshold) {
  Fixture f = make(2, 3);
  auto s = source(perf(0.5, 4, 4), f);
  record(*s, 0, 1, "111");  // 100% but below min_attempts
  EXPECT_EQ(stage_of(*s, 0), 1);
  record(*s, 0, 1, "0");  // 3/4 >= 0.5 with 4 judged
  EXPECT_EQ(stage_of(*s, 0), 2);
  EXPECT_EQ(s->metrics()["advances"], 1);
  record(*s, 0, 2, "0001");  // 1/4 < 0.5
  EXPECT_EQ(stage_of(*s, 0), 2);
  record(*s, 0, 2, "1");  // window "0011": exactly the threshold
  EXPECT_EQ(stage_of(*s, 0), 3);
  EXPECT_EQ(stage_of(*s, 1), 1);  // untouched
  EXPECT_EQ(s->metrics()["advances"], 2);
}

TEST(Scheduler, NeverSkipsAStageAndStopsAtTheWholeProgram) {
  Fixture f = make(1, 2);
  auto s = source(perf(0.5, 2, 4), f);
  record(*s, 0, 1, std::string(50, '1'));  // one batch of many passes: one stage
  EXPECT_EQ(stage_of(*s, 0), 2);
  record(*s, 0, 3, "1111");  // outcomes at a stage the problem is not at do not count
  EXPECT_EQ(stage_of(*s, 0), 2);
  record(*s, 0, 2, "11");
  EXPECT_EQ(stage_of(*s, 0), 3);
  record(*s, 0, 3, "1111");
  EXPECT_EQ(stage_of(*s, 0), 3);  // stage 3 of 3 is the whole program
  auto items = s->next(1, 1);
  EXPECT_EQ(items[0].task.prompt, f.problems[0].prompt);
  EXPECT_EQ(items[0].task.canonical_solution, f.problems[0].canonical_solution);
}

TEST(Scheduler, FixedPolicyMovesEveryProblemOneStagePerPeriod) {
  Fixture f = make(3, 3);
  f.split.problems[2].points = {6};  // 2 stages
  run::CurriculumConfig c = perf();
  c.advance = "fixed", c.fixed_every = 10;
  auto s = source(c, f);
  s->next(9, 3);
  EXPECT_EQ(stage_of(*s, 0), 1);
  record(*s, 0, 1, "1111");  // performance does not matter
  EXPECT_EQ(stage_of(*s, 0), 1);
  s->next(10, 3);
  EXPECT_EQ(stage_of(*s, 0), 2);
  EXPECT_EQ(s->metrics()["advanced_this_step"], 3);
  s->next(35, 3);  // three periods late: still one stage per period
  EXPECT_EQ(stage_of(*s, 0), 4);
  EXPECT_EQ(stage_of(*s, 2), 2);
  EXPECT_EQ(s->metrics()["advances"], 3 + 3 + 1);  // two problems of 4 stages, one of 2
  EXPECT_EQ(s->metrics()["stage_hist"]["4"], 2);
  EXPECT_EQ(s->metrics()["stage_hist_relative"]["whole"], 3);
  EXPECT_DOUBLE_EQ(s->metrics()["mean_progress"].get<double>(), 1.0);
}

TEST(Scheduler, TheShuffledControlKeepsTheScheduleAndPermutesEachProblemsStages) {
  Fixture f = make(12, 3);  // 4 stages each
  run::CurriculumConfig c = perf(0.5, 2, 2);
  c.order = "shuffled";
  auto s = source(c, f);
  // Stage 1 of the schedule shows some problems another stage first: not every problem starts
  // at the end of its solution, and the shown stage is a stage of that problem.
  std::map<int, int> first_shown;
  for (const Item& it : s->next(0, 12)) {
    EXPECT_GE(it.stage, 1);
    EXPECT_LE(it.stage, 4);
    first_shown[it.problem] = it.stage;
  }
  ASSERT_EQ(first_shown.size(), 12u);
  int not_first = 0;
  for (const auto& [p, shown] : first_shown) not_first += shown != 1;
  EXPECT_GT(not_first, 0) << "a seeded permutation of 4 stages for 12 problems leaves some order changed";
  // Outcomes at the shown stage advance the schedule, and each scheduled stage shows a new
  // stage of the problem until all four were shown.
  const int p = first_shown.begin()->first;
  std::set<int> seen{first_shown[p]};
  int shown = first_shown[p];
  for (int k = 2; k <= 4; ++k) {
    record(*s, p, shown, "11");
    EXPECT_EQ(stage_of(*s, p), k);
    shown = -1;
    for (int tries = 0; tries < 40 && shown < 0; ++tries)
      for (const Item& it : s->next(1, 12))
        if (it.problem == p) shown = it.stage;
    ASSERT_GT(shown, 0);
    EXPECT_TRUE(seen.insert(shown).second) << "stage " << shown << " shown twice";
  }
  // The same seed shows the same permutation.
  auto again = source(c, f);
  for (const Item& it : again->next(0, 12)) EXPECT_EQ(it.stage, first_shown[it.problem]);
}

TEST(Scheduler, MixesTheConfiguredShareOfEarlierStages) {
  Fixture f = make(8, 4);
  run::CurriculumConfig c = perf();
  c.advance = "fixed", c.fixed_every = 100, c.mix_earlier = 0.25;
  auto s = source(c, f);
  std::map<int, int> earlier;
  for (int64_t step = 300; step < 400; ++step) {  // every problem at stage 4 of 5
    auto items = s->next(step, 8);
    int mixed = 0;
    for (const Item& it : items) {
      ASSERT_LE(it.stage, 4);
      if (it.stage < 4) ++mixed, ++earlier[it.stage];
      EXPECT_EQ(it.task.prompt.size() - f.problems[it.problem].prompt.size(), f.split.problems[it.problem].prefix_bytes(it.stage));
    }
    EXPECT_EQ(mixed, 2) << "step " << step;
  }
  for (int st = 1; st <= 3; ++st) EXPECT_GT(earlier[st], 40) << "stage " << st;  // ~67 each
}

TEST(Scheduler, AFewProblemsPastStageOneAreNotAllPulledBack) {
  // One problem of eight is past stage 1: a share of the whole batch would mix it back every
  // time it is drawn, and it could never train at its own stage.
  Fixture f = make(8, 3);
  run::CurriculumConfig c = perf(0.5, 2, 2);
  c.mix_earlier = 0.25;
  auto s = source(c, f);
  record(*s, 3, 1, "11");
  ASSERT_EQ(stage_of(*s, 3), 2);
  int drawn = 0, at_two = 0;
  for (int64_t step = 1; step <= 400; ++step) {
    for (const Item& it : s->next(step, 8)) {
      if (it.problem != 3) continue;
      ++drawn, at_two += it.stage == 2;
    }
  }
  EXPECT_EQ(drawn, 400);
  EXPECT_GT(at_two, 250);  // about 75%
  EXPECT_LT(at_two, 350);
  // Consecutive steps' mixing decisions are independent (seeds of nearby steps once were not).
  auto t = source(c, f, 5);
  record(*t, 3, 1, "11");
  int pulled_back = 0;
  for (int64_t step = 1; step <= 8; ++step)
    for (const Item& it : t->next(step, 8)) pulled_back += it.problem == 3 && it.stage == 1;
  EXPECT_LT(pulled_back, 6);
}

TEST(Scheduler, EarlierStageOutcomesAreRecordedForTheStageDrawn) {
  Fixture f = make(1, 3);
  auto s = source(perf(0.5, 2, 2), f);
  record(*s, 0, 1, "11");
  EXPECT_EQ(stage_of(*s, 0), 2);
  record(*s, 0, 1, "00000");  // an earlier stage mixed in: no effect on stage 2
  record(*s, 0, 2, "0");
  EXPECT_EQ(stage_of(*s, 0), 2);
  Json m = s->metrics();
  EXPECT_EQ(m["attempts_by_stage"]["1"], 7);
  EXPECT_NEAR(m["pass_rate_by_stage"]["1"].get<double>(), 2.0 / 7, 1e-12);
  EXPECT_EQ(m["attempts_by_stage"]["2"], 1);
}

// A scripted learner: passes depend on (problem, stage, step) only.
std::vector<Outcome> script(const std::vector<Item>& items, int64_t step) {
  std::vector<Outcome> os;
  for (const Item& it : items)
    for (int k = 0; k < 2; ++k) {
      const bool pass = (it.problem * 7 + it.stage * 3 + step + k) % 3 != 0;
      os.push_back({it.problem, it.stage, pass, pass ? 1.0 : 0.0});
    }
  return os;
}

std::string run(ProblemSource& s, int64_t from, int64_t to) {
  std::string trace;
  for (int64_t step = from; step < to; ++step) {
    auto items = s.next(step, 5);
    for (const Item& it : items) trace += std::to_string(it.problem) + ":" + std::to_string(it.stage) + " ";
    s.record(step, script(items, step));
    trace += s.metrics().dump() + "\n";
  }
  return trace;
}

TEST(Scheduler, RestoredStateDrawsExactlyWhatAnUninterruptedRunDraws) {
  Fixture f = make(7, 5);
  run::CurriculumConfig c = perf(0.6, 3, 5);
  c.mix_earlier = 0.4;
  auto a = source(c, f, 11);
  run(*a, 0, 23);
  const std::string saved = a->state().dump();
  const std::string rest_a = run(*a, 23, 60);

  auto b = source(c, f, 11);
  ASSERT_TRUE(b->restore(Json::parse(saved)).ok());
  EXPECT_EQ(b->state().dump(), saved);
  EXPECT_EQ(run(*b, 23, 60), rest_a);
  EXPECT_GT(a->metrics()["advances"].get<int>(), 5);  // the script does move problems

  auto other_seed = source(c, f, 12);
  EXPECT_NE(run(*other_seed, 0, 23), run(*source(c, f, 11), 0, 23));
}

TEST(Scheduler, RestoreRejectsAStateOfAnotherSplit) {
  Fixture f = make(3, 3);
  auto a = source(perf(), f);
  Json saved = a->state();
  Fixture g = make(3, 2);
  EXPECT_NE(source(perf(), g)->restore(saved).error().find("t/0 had 4 stages"), std::string::npos);
  EXPECT_FALSE(source(perf(), make(4, 3))->restore(saved).ok());
  EXPECT_FALSE(source(perf(), f)->restore(Json{{"kind", "uniform"}}).ok());
}

TEST(Scheduler, ProgressBuckets) {
  EXPECT_STREQ(progress_bucket(1, 5), "0-25%");
  EXPECT_STREQ(progress_bucket(2, 5), "25-50%");
  EXPECT_STREQ(progress_bucket(4, 5), "75-100%");
  EXPECT_STREQ(progress_bucket(5, 5), "whole");
  EXPECT_STREQ(progress_bucket(1, 1), "whole");
}

TEST(MakeSource, CurriculumNeedsACanonicalSolution) {
  Fixture f = make(2, 1);
  for (auto& p : f.problems) p.canonical_solution.clear();
  run::CurriculumConfig c;
  c.enabled = true;
  auto src = make_source(c, f.problems, 1);
  ASSERT_FALSE(src.ok());
  EXPECT_NE(src.error().find("none of the 2 training problems"), std::string::npos) << src.error();
  c.enabled = false;
  EXPECT_TRUE(make_source(c, f.problems, 1).ok());
}

TEST(MakeSource, SplitsWithClangWhenEnabled) {
  tasks::Problem p;
  p.task_id = "loops/0";
  p.prompt = "#include <bits/stdc++.h>\nusing namespace std;\nint f(vector<int> a) {\n";
  p.canonical_solution = "    int s = 0;\n    for (int v : a) {\n        if (v > 0) s += v;\n    }\n    return s;\n}\n";
  run::CurriculumConfig c;
  c.enabled = true, c.mix_earlier = 0;
  std::string summary;
  auto src = make_source(c, {p}, 1, &summary);
  ASSERT_TRUE(src.ok()) << src.error();
  EXPECT_NE(summary.find("1 split"), std::string::npos) << summary;
  auto items = (*src)->next(0, 1);
  EXPECT_EQ(items[0].stages, 3);
  // Stage 1 completes the last control statement; its indentation stays with the prompt.
  EXPECT_EQ(items[0].task.canonical_solution, "if (v > 0) s += v;\n    }\n    return s;\n}\n");
  EXPECT_EQ(items[0].task.prompt, p.prompt + "    int s = 0;\n    for (int v : a) {\n        ");
}

}  // namespace
}  // namespace stepcoder::curriculum
