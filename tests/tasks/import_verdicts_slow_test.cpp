// Judging the imported MBCPP file (project JSONL) gives the same per-task verdicts as judging
// the original MBXP records: every reference solution judged both ways in the real judge.
// The second pass compiles the same programs, so it runs from the compile cache.
#include <gtest/gtest.h>

#include <unistd.h>

#include "sandbox/pool.h"
#include "tasks/problem_io.h"
#include "tests/tasks/judge_support.h"
#include "util/files.h"

namespace stepcoder::tasks {
namespace {

std::vector<sandbox::JudgeResult> judge_references(const std::vector<Problem>& problems) {
  std::vector<sandbox::JudgeRequest> reqs;
  for (const Problem& p : problems) reqs.push_back(p.request(p.canonical_solution));
  sandbox::JudgePool pool(test_support::judge(), /*workers=*/0);
  return pool.judge_all(reqs);
}

TEST(ImportVerdictsSlowTest, ImportedMbcppJudgesLikeTheOriginal) {
  std::string path = STEPCODER_SOURCE_DIR "/../shared/data/external/mbxp_mbcpp_release_v1.2.jsonl";
  if (!file_exists(path)) GTEST_SKIP() << "external data absent: " << path;
  auto original = load_problems(path);
  ASSERT_TRUE(original) << original.error();
  std::string imported_path = std::string(STEPCODER_BINARY_DIR) + "/mbcpp_imported_" +
                              std::to_string(::getpid()) + ".jsonl";
  ASSERT_TRUE(write_problems(imported_path, original->problems));
  auto imported = load_problems(imported_path);
  ::unlink(imported_path.c_str());
  ASSERT_TRUE(imported) << imported.error();
  EXPECT_EQ(imported->format, "project");
  ASSERT_EQ(imported->problems.size(), original->problems.size());
  ASSERT_GT(original->problems.size(), 600u);
  std::vector<sandbox::JudgeResult> a = judge_references(original->problems);
  std::vector<sandbox::JudgeResult> b = judge_references(imported->problems);
  int passed = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(imported->problems[i].task_id, original->problems[i].task_id);
    EXPECT_EQ(sandbox::verdict_name(a[i].verdict), sandbox::verdict_name(b[i].verdict))
        << original->problems[i].task_id << ": " << a[i].message << " / " << b[i].message;
    EXPECT_EQ(a[i].checks_passed, b[i].checks_passed) << original->problems[i].task_id;
    passed += a[i].verdict == sandbox::Verdict::Passed;
  }
  std::printf("MBCPP: %zu references judged twice, %d passed\n", a.size(), passed);
}

}  // namespace
}  // namespace stepcoder::tasks
