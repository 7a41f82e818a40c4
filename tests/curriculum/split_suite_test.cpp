// The splitter on real problem files: on the bundled suite and on HumanEval-X, every stage of
// every split problem gives back the canonical solution exactly, with a given prefix that ends
// a line. Prints the figures quoted in curriculum/CURRICULUM.md (problems split, mean stages,
// Clang time per problem).
#include <gtest/gtest.h>

#include <cstdio>

#include "curriculum/splitter.h"
#include "tasks/problem_io.h"
#include "util/files.h"

namespace stepcoder::curriculum {
namespace {

const char* kHumanEvalX = "/work/shared/data/external/humaneval-x_cpp.jsonl.gz";

// Every stage of every problem gives back the solution exactly, with a prefix that ends a line.
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
        ASSERT_TRUE(!given.empty() && given.back() == '\n') << ps[i].task_id << " stage " << st;
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

}  // namespace
}  // namespace stepcoder::curriculum
