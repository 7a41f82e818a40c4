// Reference solutions of the generated suites pass their own tests in the real judge: one
// problem of every family here, the dispatch suite's parts, and a broken solution inside a
// batch is still caught.
// Every problem of examples/suite is judged by suite_slow_test.cpp.
#include <gtest/gtest.h>

#include <map>

#include "tasks/gen/generate.h"
#include "tasks/verify.h"
#include "tests/sandbox/test_judge.h"

namespace stepcoder::tasks {
namespace {

// The first problem of every family and of every held-out kind; a few stdin/stdout ones
// (each is its own compile), all function-level ones (batched).
std::vector<Problem> one_per_family() {
  GenerateOptions opts;
  opts.seed = 3;
  Suite s = generate_suite(opts);
  std::map<std::string, Problem> first;
  for (const auto* split : {&s.train, &s.test}) {
    for (const Problem& p : *split) {
      first.emplace(p.family, p);
      if (!p.holdout.empty()) first.emplace(p.holdout, p);
    }
  }
  std::vector<Problem> out;
  int io = 0;
  for (auto& [key, p] : first) {
    if (p.tests.kind == sandbox::Tests::Kind::Io && ++io > 4) continue;
    out.push_back(p);
  }
  return out;
}

TEST(SuiteJudgeTest, OneProblemOfEveryFamilyAndHoldoutKindPasses) {
  std::vector<Problem> sample = one_per_family();
  ASSERT_GE(sample.size(), 30u);
  VerifyReport r = verify_canonical(sample, sandbox::test_support::default_judge(), /*workers=*/2);
  for (const CanonicalFailure& f : r.failures) ADD_FAILURE() << f.task_id << ": " << f.verdict << " " << f.message;
  EXPECT_EQ(r.passed, static_cast<int>(sample.size()));
  EXPECT_LT(r.programs, static_cast<int>(sample.size()));  // batching happened
}

TEST(SuiteJudgeTest, BrokenSolutionInsideABatchIsReported) {
  std::vector<Problem> sample;
  for (const Problem& p : one_per_family()) {
    if (p.tests.kind == sandbox::Tests::Kind::Assert && sample.size() < 6) sample.push_back(p);
  }
  ASSERT_EQ(sample.size(), 6u);
  // A default value instead of the answer: compiles for every return type, fails some asserts.
  sample[2].canonical_solution = "    return {};\n}\n";
  VerifyReport r = verify_canonical(sample, sandbox::test_support::default_judge(), /*workers=*/2);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].task_id, sample[2].task_id);
  EXPECT_EQ(r.passed, 5);
}

// The dispatch suite (FGO experiments): references pass every part's tests, the pool's partial
// tests and each hidden part on its own.
TEST(SuiteJudgeTest, DispatchReferencesPassEveryPartTheyAreJudgedOn) {
  DispatchOptions o;
  o.seed = 5, o.sft = 12, o.pool = 8, o.valid = 2, o.test = 2;
  DispatchSuite s = generate_dispatch_suite(o);
  std::vector<Problem> sample = s.sft;
  for (const auto* split : {&s.train, &s.hidden, &s.test}) sample.insert(sample.end(), split->begin(), split->end());
  VerifyReport r = verify_canonical(sample, sandbox::test_support::default_judge(), /*workers=*/2);
  for (const CanonicalFailure& f : r.failures) ADD_FAILURE() << f.task_id << ": " << f.verdict << " " << f.message;
  EXPECT_EQ(r.passed, static_cast<int>(sample.size()));
}

// The records suite (CCCS experiments): stdin/stdout references, one compile each.
TEST(SuiteJudgeTest, RecordsReferencesPassTheirTests) {
  RecordsOptions o;
  o.seed = 5, o.sft = 10, o.pool = 2, o.valid = 0, o.test = 2;
  RecordsSuite s = generate_records_suite(o);
  std::vector<Problem> sample = s.sft;
  sample.insert(sample.end(), s.test.begin(), s.test.end());
  VerifyReport r = verify_canonical(sample, sandbox::test_support::default_judge(), /*workers=*/2);
  for (const CanonicalFailure& f : r.failures) ADD_FAILURE() << f.task_id << ": " << f.verdict << " " << f.message;
  EXPECT_EQ(r.passed, static_cast<int>(sample.size()));
}

TEST(VerifyTest, RecognizesOnlyPlainAssertLists) {
  std::vector<std::string> lines;
  EXPECT_TRUE(plain_assert_lines("int main() {\n    assert(f(1) == 2);\n    return 0;\n}\n", &lines));
  EXPECT_EQ(lines.size(), 1u);
  EXPECT_FALSE(plain_assert_lines("int main() {\n    int x = 1;\n    assert(f(x) == 2);\n    return 0;\n}\n", &lines));
  EXPECT_FALSE(plain_assert_lines("int main(){ assert(f(1)); }", &lines));
}

}  // namespace
}  // namespace stepcoder::tasks
