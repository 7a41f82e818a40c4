// The splitter on real problem files: on the bundled suite and on HumanEval-X, every stage of
// every split problem gives back the canonical solution exactly, with a given prefix that ends
// a line. Prints the figures quoted in curriculum/CURRICULUM.md (problems split, mean stages,
// Clang time per problem).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "coverage/clang_parse.h"
#include "curriculum/splitter.h"
#include "tasks/problem_io.h"
#include "util/files.h"

namespace stepcoder::curriculum {
namespace {

const char* kHumanEvalX = "/work/shared/data/external/humaneval-x_cpp.jsonl.gz";

// Every stage of every problem gives back the solution exactly, with a prefix that ends in a
// newline and the next line's indentation.
void expect_stages_reassemble(const std::vector<tasks::Problem>& ps, const SplitResult& r) {
  ASSERT_EQ(r.problems.size(), ps.size());
  for (size_t i = 0; i < ps.size(); ++i) {
    const ProblemSplit& s = r.problems[i];
    for (int st = 1; st <= s.stages(); ++st) {
      tasks::Problem q = stage_problem(ps[i], s, st);
      const std::string given = q.prompt.substr(ps[i].prompt.size());
      ASSERT_EQ(given + q.canonical_solution, ps[i].canonical_solution) << ps[i].task_id << " stage " << st;
      ASSERT_EQ(q.canonical_program(), ps[i].canonical_program());
      if (st < s.stages()) {
        const size_t last = given.find_last_not_of(" \t");
        ASSERT_TRUE(last != std::string::npos && given[last] == '\n') << ps[i].task_id << " stage " << st;
        ASSERT_NE(q.canonical_solution.front(), ' ') << ps[i].task_id << " stage " << st;
      } else {
        ASSERT_TRUE(given.empty()) << ps[i].task_id;
      }
    }
    if (s.stages() > 1) {
      ASSERT_LT(s.prefix_bytes(2), s.prefix_bytes(1)) << ps[i].task_id;
    }
  }
}

void print_figures(const char* name, const SplitResult& r) {
  std::printf("%s: %s; parse %.1f ms per problem (Clang time), wall %.1f s\n", name, r.summary().c_str(),
              r.problems.empty() ? 0.0 : r.parse_ms / r.problems.size(), r.wall_ms / 1000);
}

// Every `every`-th problem (all when 1).
std::vector<tasks::Problem> sample(const std::vector<tasks::Problem>& ps, size_t every) {
  std::vector<tasks::Problem> out;
  for (size_t i = 0; i < ps.size(); i += every) out.push_back(ps[i]);
  return out;
}

void check_file(const std::string& name, const std::vector<tasks::Problem>& ps, size_t every_other_kind) {
  for (const char* kind : {"control", "statement", "line"}) {
    // Control (the default) on every problem; the other kinds on a sample, for time.
    const auto some = sample(ps, std::string(kind) == "control" ? 1 : every_other_kind);
    SplitOptions so;
    so.kind = kind;
    SplitResult r = split_problems(some, so);
    print_figures((name + " " + kind).c_str(), r);
    EXPECT_EQ(r.parse_errors, 0) << r.summary();
    EXPECT_GT(r.split, static_cast<int>(some.size()) / 2) << r.summary();
    expect_stages_reassemble(some, r);
  }
}

TEST(SplitterSuite, EveryStageOfTheBundledSuiteReassembles) {
  auto set = tasks::load_problems(std::string(STEPCODER_SOURCE_DIR) + "/examples/suite/train.jsonl");
  ASSERT_TRUE(set.ok()) << set.error();
  check_file("suite", set->problems, 10);
}

TEST(SplitterSuite, EveryStageOfHumanEvalXReassembles) {
  if (!file_exists(kHumanEvalX)) GTEST_SKIP() << kHumanEvalX << " is absent (HumanEval-X C++ is not bundled)";
  auto set = tasks::load_problems(kHumanEvalX);
  ASSERT_TRUE(set.ok()) << set.error();
  check_file("humaneval-x", set->problems, 1);
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// One thread, so the figures are per parse: the PCH against including <bits/stdc++.h>, and the
// split cache against parsing.
TEST(SplitterSuite, ParseCostWithPchAndCache) {
  auto set = tasks::load_problems(std::string(STEPCODER_SOURCE_DIR) + "/examples/suite/train.jsonl");
  ASSERT_TRUE(set.ok()) << set.error();
  const auto some = sample(set->problems, 27);  // ~100 problems across families
  auto dir = TempDir::create("split-cost");
  ASSERT_TRUE(dir.ok());
  SplitOptions so;
  so.workers = 1, so.cache_dir = dir->path();
  auto t0 = std::chrono::steady_clock::now();
  SplitResult cold = split_problems(some, so);
  const double cold_ms = ms_since(t0);
  t0 = std::chrono::steady_clock::now();
  SplitResult warm = split_problems(some, so);
  const double warm_ms = ms_since(t0);
  ASSERT_TRUE(warm.cached);
  for (size_t i = 0; i < some.size(); ++i) ASSERT_EQ(warm.problems[i].points, cold.problems[i].points);
  coverage::InstrumentOptions no_pch;
  no_pch.use_pch = false;
  const size_t n = 5;
  t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < n; ++i)
    ASSERT_TRUE(coverage::parse_program(some[i].canonical_program(), no_pch, [](auto&, const auto&) {}).ok());
  const double no_pch_ms = ms_since(t0) / n;
  std::printf("%zu suite problems, one thread: %.1f ms per problem parsed with the PCH, %.1f ms without it; "
              "%.3f ms per problem read from the split cache\n",
              some.size(), cold_ms / some.size(), no_pch_ms, warm_ms / some.size());
  EXPECT_LT(warm_ms, cold_ms);
}

}  // namespace
}  // namespace stepcoder::curriculum
