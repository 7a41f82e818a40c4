// Coverage through the real judge: counters survive crashes, timeouts and SIGKILL; per-test
// and merged maps; programs that do not compile fall back to a plain compile_error verdict.
#include "coverage/judge_coverage.h"

#include <gtest/gtest.h>

#include <cstring>

#include "coverage/report.h"
#include "coverage/token_mask.h"
#include "tests/sandbox/test_judge.h"

namespace stepcoder::coverage {
namespace {

using sandbox::Verdict;

sandbox::SandboxJudge& judge() {
  static std::unique_ptr<sandbox::SandboxJudge> j = [] {
    sandbox::SandboxConfig cfg;
    cfg.cache_dir = STEPCODER_BINARY_DIR "/test-cache";
    cfg.run.cpu_ms = 500;
    cfg.run.wall_ms = 1500;
    return sandbox::test_support::make_judge(cfg);
  }();
  return *j;
}

InstrumentOptions options() {
  InstrumentOptions o;
  o.cache_dir = STEPCODER_BINARY_DIR "/coverage-cache";
  return o;
}

// The count of the statement whose text is `text` (exactly one must match).
uint64_t count_of(const CoverageResult& cov, const CoverageMap& map, const std::string& text) {
  const Statement* found = nullptr;
  for (const Statement& s : cov.instrumented.statements) {
    if (cov.instrumented.program.compare(s.span.begin, s.span.end - s.span.begin, text) != 0)
      continue;
    EXPECT_EQ(found, nullptr) << "two statements read " << text;
    found = &s;
  }
  if (!found) ADD_FAILURE() << "no statement reads " << text;
  return found ? map.count(found->counter) : ~0ull;
}

sandbox::JudgeRequest io_request(const std::string& program, std::vector<std::string> inputs) {
  sandbox::JudgeRequest req;
  req.program = program;
  for (auto& in : inputs) req.tests.cases.push_back({std::move(in), std::nullopt});
  return req;
}

const char* kFaulty =
    "#include <cstdio>\n#include <csignal>\n"
    "volatile int zero = 0;\n"
    "int main() {\n"
    "  int mode = 0, acc = 1;\n"
    "  if (scanf(\"%d\", &mode) != 1) return 2;\n"
    "  acc += 41;\n"
    "  if (mode == 1) acc = acc / zero;\n"
    "  if (mode == 2) while (true) acc++;\n"
    "  if (mode == 3) raise(SIGKILL);\n"
    "  printf(\"%d\\n\", acc);\n"
    "  return 0;\n"
    "}\n";

TEST(JudgeCoverage, StatementsBeforeAFaultRanThoseAfterDidNot) {
  struct Case {
    std::string input;
    Verdict verdict;
  };
  for (const Case& c : {Case{"1", Verdict::RuntimeError}, Case{"2", Verdict::Timeout},
                        Case{"3", Verdict::RuntimeError}}) {
    SCOPED_TRACE("mode " + c.input);
    CoverageResult cov;
    auto r = judge_with_coverage(judge(), io_request(kFaulty, {c.input}), &cov, options());
    ASSERT_TRUE(cov.available) << cov.error << " / " << r.message;
    EXPECT_EQ(r.verdict, c.verdict) << r.message;
    ASSERT_EQ(cov.per_test.size(), 1u);
    const CoverageMap& m = cov.per_test[0];
    ASSERT_TRUE(m.valid);
    EXPECT_EQ(count_of(cov, m, "acc += 41;"), 1u);
    EXPECT_EQ(count_of(cov, m, "acc = acc / zero;"), c.input == "1" ? 1u : 0u);
    if (c.input == "2") {
      EXPECT_GT(count_of(cov, m, "acc++;"), 1000u);
    }
    EXPECT_EQ(count_of(cov, m, "raise(SIGKILL);"), c.input == "3" ? 1u : 0u);
    EXPECT_EQ(count_of(cov, m, "printf(\"%d\\n\", acc);"), 0u);
    EXPECT_EQ(count_of(cov, m, "return 0;"), 0u);
  }
}

TEST(JudgeCoverage, PerTestAndMergedMaps) {
  CoverageResult cov;
  auto r = judge_with_coverage(judge(), io_request(kFaulty, {"0", "0", "x"}), &cov, options());
  ASSERT_TRUE(cov.available) << cov.error;
  EXPECT_EQ(r.verdict, Verdict::RuntimeError) << "the third run exits with 2";
  ASSERT_EQ(cov.per_test.size(), 3u);
  EXPECT_EQ(count_of(cov, cov.per_test[0], "return 0;"), 1u);
  EXPECT_EQ(count_of(cov, cov.per_test[2], "return 0;"), 0u);
  EXPECT_EQ(count_of(cov, cov.per_test[2], "return 2;"), 1u);
  EXPECT_EQ(count_of(cov, cov.merged, "return 0;"), 2u);
  EXPECT_EQ(count_of(cov, cov.merged, "acc += 41;"), 2u);
  EXPECT_EQ(count_of(cov, cov.merged, "return 2;"), 1u);
  std::string lcov = to_lcov(cov.instrumented, cov.merged, "faulty.cpp", "t");
  EXPECT_NE(lcov.find("FNDA:3,main\n"), std::string::npos) << lcov;
  EXPECT_NE(lcov.find("DA:11,2\n"), std::string::npos) << lcov;
}

TEST(JudgeCoverage, AssertStyleFunctionWithoutMain) {
  sandbox::JudgeRequest req;
  req.program =
      "int sign(int x) {\n"
      "  if (x > 0)\n"
      "    return 1;\n"
      "  if (x < 0)\n"
      "    return -1;\n"
      "  return 0;\n"
      "}\n";
  req.tests.kind = sandbox::Tests::Kind::Assert;
  req.tests.code = "#include <cassert>\nint main() { assert(sign(5) == 1); assert(sign(-2) == -1); }\n";
  CoverageResult cov;
  auto r = judge_with_coverage(judge(), req, &cov, options());
  ASSERT_TRUE(cov.available) << cov.error;
  EXPECT_EQ(r.verdict, Verdict::Passed) << r.message;
  EXPECT_EQ(count_of(cov, cov.merged, "return 1;"), 1u);
  EXPECT_EQ(count_of(cov, cov.merged, "return -1;"), 1u);
  EXPECT_EQ(count_of(cov, cov.merged, "return 0;"), 0u);
  // The completion is the body; its tokens after the signature.
  size_t start = req.program.find('\n') + 1;
  std::string completion = req.program.substr(start);
  std::vector<std::pair<size_t, size_t>> tokens;
  for (const char* t : {"return 1;", "return -1;", "return 0;", "}"}) {
    size_t p = completion.find(t);
    tokens.emplace_back(p, p + std::strlen(t));
  }
  EXPECT_EQ(token_mask(cov.instrumented, cov.merged, start, tokens),
            (std::vector<uint8_t>{1, 1, 0, 1}));
}

TEST(JudgeCoverage, ProgramThatDoesNotCompileFallsBackToPlainJudging) {
  CoverageResult cov;
  auto r = judge_with_coverage(
      judge(), io_request("int main() {\n  int x = 1;\n  return y;\n}\n", {""}), &cov, options());
  EXPECT_EQ(r.verdict, Verdict::CompileError);
  EXPECT_FALSE(cov.available);
  EXPECT_NE(cov.error.find("3:"), std::string::npos) << cov.error;
  bool line3 = false;
  for (const auto& d : r.diagnostics) line3 |= d.line == 3 && d.severity == "error";
  EXPECT_TRUE(line3) << "the compiler's own diagnostics, on the program's line: " << r.message;
  EXPECT_EQ(token_mask(cov.instrumented, cov.merged, 0, {{0, 3}}), std::vector<uint8_t>{1});
}

}  // namespace
}  // namespace stepcoder::coverage
