// The instrumenter on hostile programs: Clang's front end runs in a box with the compiler's
// limits and view, so a program that exhausts its memory or time, or reads its stdin through
// an #include, ends in compile_error within those limits, never in a dead or stuck judge; and a
// program gets one compile limit in all, not one for each of its instrumented and plain compiles.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>

#include "coverage/judge_coverage.h"
#include "tests/sandbox/test_judge.h"

namespace stepcoder::coverage {
namespace {

using sandbox::Verdict;
using Clock = std::chrono::steady_clock;

constexpr int kCompileCpuMs = 4000;

sandbox::SandboxJudge& judge() {
  static std::unique_ptr<sandbox::SandboxJudge> j = [] {
    sandbox::SandboxConfig cfg;
    cfg.cache_dir = STEPCODER_BINARY_DIR "/test-cache";
    cfg.compile.cpu_ms = kCompileCpuMs;
    cfg.compile.wall_ms = 3 * kCompileCpuMs;
    cfg.compile.memory_mb = 768;
    return sandbox::test_support::make_judge(cfg);
  }();
  return *j;
}

sandbox::JudgeRequest io_request(const std::string& program) {
  sandbox::JudgeRequest req;
  req.program = program;
  req.tests.cases.push_back({"", std::nullopt});
  return req;
}

int64_t own_peak_rss_mb() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Case {
  const char* name;
  std::string program;
};

std::vector<Case> hostile_cases() {
  std::string constexpr_heavy =
      "constexpr long spin(long n) { long s = 0; for (long i = 0; i < n; ++i) s += i % 7; return s; }\n";
  for (int i = 0; i < 100; ++i)
    constexpr_heavy += "static_assert(spin(900000 + " + std::to_string(i) + ") > 0, \"\");\n";
  constexpr_heavy += "int main() {}\n";
  return {
      {"ten million empty statements", "int main() {" + std::string(10'000'000, ';') + "}\n"},
      {"a hundred long constexpr evaluations", constexpr_heavy},
      {"#include of its own stdin", "#include \"/dev/stdin\"\nint main() {}\n"},
      {"#include of an endless device", "#include \"/dev/zero\"\nint main() {}\n"},
  };
}

TEST(InstrumenterHostile, EndsInCompileErrorWithinTheLimitsAndTheJudgeLives) {
  int64_t rss_before = own_peak_rss_mb();
  for (const Case& c : hostile_cases()) {
    auto t0 = Clock::now();
    CoverageResult cov;
    sandbox::JudgeResult r = judge_with_coverage(judge(), io_request(c.program), &cov);
    double s = seconds_since(t0);
    std::printf("%-40s %5.1f s  %s\n", c.name, s, r.message.c_str());
    EXPECT_EQ(r.verdict, Verdict::CompileError) << c.name << ": " << r.message;
    EXPECT_FALSE(cov.available) << c.name;
    // The instrumenter and the compiler share one CPU limit; wall clocks allow for load.
    EXPECT_LT(s, 3.0 * kCompileCpuMs / 1000 + 5) << c.name << ": " << r.message;
  }
  // Clang's parse of ten megabytes happened in another process.
  EXPECT_LT(own_peak_rss_mb() - rss_before, 200) << "the judge's own memory grew";
  // And the judge still judges, with coverage.
  CoverageResult cov;
  sandbox::JudgeResult ok = judge_with_coverage(judge(), io_request("int main() { return 0; }\n"), &cov);
  EXPECT_EQ(ok.verdict, Verdict::Passed) << ok.message;
  EXPECT_TRUE(cov.available) << cov.error;
}

TEST(InstrumenterHostile, AProgramGetsOneCompileLimitNotTwo) {
  // Cheap for Clang's front end, slow for g++'s code generation: one function of very many
  // statements. The instrumented compile runs out of its CPU and the plain one is not tried.
  std::string program = "volatile int x;\nint main() {\n";
  for (int i = 0; i < 120000; ++i) program += "  x = x * 3 + " + std::to_string(i) + ";\n";
  program += "}\n";
  auto t0 = Clock::now();
  CoverageResult cov;
  sandbox::JudgeResult r = judge_with_coverage(judge(), io_request(program), &cov);
  double s = seconds_since(t0);
  std::printf("instrumented in %.1f s, then %s after %.0f ms of compiler CPU, %.1f s in all\n",
              cov.instrument_ms / 1000, r.message.c_str(), r.compile_cpu_ms, s);
  EXPECT_EQ(r.verdict, Verdict::CompileError) << r.message;
  EXPECT_TRUE(r.compile_stopped) << r.message;
  // One limit in all: the instrumenter's CPU counts against the compiler's.
  EXPECT_LE(r.compile_cpu_ms + 0.0, kCompileCpuMs + 1500.0) << r.message;
  EXPECT_LT(s, cov.instrument_ms / 1000 + 2.0 * kCompileCpuMs / 1000 + 3) << r.message;
}

}  // namespace
}  // namespace stepcoder::coverage
