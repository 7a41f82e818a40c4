// Line marks of a real judged program with coverage: lines that ran, code that never ran, a
// crash line; and the known-good probe program the trainer judges at start-up.
#include "run/episode.h"

#include <gtest/gtest.h>

#include "coverage/judge_coverage.h"
#include "sandbox/judge.h"

namespace stepcoder::run {
namespace {

TEST(RunEpisodesSandboxTest, LineMarksFollowCoverage) {
  sandbox::SandboxConfig cfg;
  cfg.cache_dir = STEPCODER_BINARY_DIR "/test-cache";
  auto judge = sandbox::SandboxJudge::create(cfg);
  ASSERT_TRUE(judge) << judge.error();
  const std::string program =
      "#include <bits/stdc++.h>\n"    // 1 .
      "int f(int x) {\n"              // 2 + (entered)
      "  if (x > 100) {\n"            // 3 +
      "    return x * 2;\n"           // 4 - (never taken)
      "  }\n"                         // 5 .
      "\n"                            // 6 .
      "  return x + 1;\n"             // 7 +
      "}\n";                          // 8 + (closing brace of an entered function)
  sandbox::JudgeRequest req;
  req.program = program;
  req.tests.kind = sandbox::Tests::Kind::Assert;
  req.tests.code = "int main() { assert(f(1) == 2); return 0; }\n";
  coverage::CoverageResult cov;
  sandbox::JudgeResult r = coverage::judge_with_coverage(**judge, req, &cov);
  ASSERT_EQ(r.verdict, sandbox::Verdict::Passed) << r.message;
  ASSERT_TRUE(cov.available) << cov.error;
  const std::string marks = line_marks(program, &cov, r);
  ASSERT_EQ(marks.size(), 8u) << marks;
  EXPECT_EQ(marks[0], '.') << marks;
  EXPECT_EQ(marks[2], '+') << marks;
  EXPECT_EQ(marks[3], '-') << marks;
  EXPECT_EQ(marks[5], '.') << marks;
  EXPECT_EQ(marks[6], '+') << marks;
  // Without the map only error lines are marked.
  r.diagnostics.push_back({4, 5, "error", "x", false});
  EXPECT_EQ(line_marks(program, nullptr, r), "...!....");
}

}  // namespace
}  // namespace stepcoder::run
