// The judge: compiles a C++ program and runs it against tests inside the sandbox.
// Public API of sandbox/ — the library knows nothing else of the project.
//
//   SandboxConfig cfg;                         // limits, compiler, cache dir (config.h)
//   auto judge = SandboxJudge::create(cfg);    // checks the compiler, builds the PCH
//   if (!judge) die(judge.error());
//   JudgeRequest req;
//   req.program = prompt + completion;
//   req.tests.kind = Tests::Kind::Assert;
//   req.tests.code = "int main(){ assert(add(1,2)==3); }";
//   JudgeResult r = (*judge)->judge(req);
//   printf("%s %.2f\n", verdict_name(r.verdict), r.pass_ratio);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/config.h"
#include "sandbox/verdict.h"
#include "util/expected.h"

namespace stepcoder::sandbox {

struct IoCase {
  std::string input;
  std::optional<std::string> output;  // absent: any output passes, only the exit status counts
};

struct Tests {
  enum class Kind { Io, Assert };
  Kind kind = Kind::Io;
  std::vector<IoCase> cases;  // Io: one run per case, stdout compared to output
  std::string code;           // Assert: test code with its own main(), run once after the program
};

// A compiler message located in the program (1-based line and column of the program text).
// Messages located in the harness or test code have line 0 and in_tests set.
struct Diagnostic {
  int line = 0;
  int column = 0;
  std::string severity;  // "error", "warning", "note"
  std::string message;
  bool in_tests = false;
};

struct TestResult {
  Verdict verdict = Verdict::Failed;
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  double ms = 0;       // wall time
  int64_t max_rss_kb = 0;
  std::string stdout_text;  // capped at limits.output_bytes
  std::string stderr_text;
  std::string detail;       // why: "expected '3' got '4'", "syscall socket forbidden", ...
  std::string shared;       // bytes of the shared region after the run (coverage counters)
  int crash_line = 0;       // program line of a crash, when known (0 otherwise)
};

struct JudgeRequest {
  std::string program;  // the whole program text: prompt + completion (+ nothing of the tests)
  Tests tests;
  // Optional instrumentation: `source` is compiled instead of `program` (diagnostics must still
  // refer to program lines, e.g. through #line markers) and each run gets a zeroed shared memory
  // region of `shared_bytes` at file descriptor kSharedFd, returned in TestResult::shared.
  std::optional<std::string> instrumented_source;
  size_t shared_bytes = 0;
  bool stop_on_first_failure = false;  // Io: skip remaining cases after a failure
};

// File descriptors a judged program sees besides 0, 1, 2.
constexpr int kReportFd = 3;  // assert harness: per-check results and the completion nonce
constexpr int kSharedFd = 4;  // instrumentation counters (present only when shared_bytes > 0)

struct JudgeResult {
  Verdict verdict = Verdict::CompileError;
  double pass_ratio = 0;  // passed checks / all checks (io cases or assert-style checks)
  int checks_passed = 0;
  int checks_total = 0;
  std::vector<TestResult> tests;  // one per run (io case; a single run for assert-style)
  double compile_ms = 0;
  double run_ms = 0;  // summed over runs
  bool cache_hit = false;
  std::vector<Diagnostic> diagnostics;
  std::string message;  // one line for humans: the first error, the failing check, the syscall
};

// Anything that turns a request into a verdict. PPO and curriculum tests use fakes.
class Judge {
 public:
  virtual ~Judge() = default;
  virtual JudgeResult judge(const JudgeRequest& req) = 0;
};

// The real judge: compile (cached, PCH) then run under seccomp and rlimits. Thread-safe:
// judge() may be called from many threads at once (see pool.h).
class SandboxJudge : public Judge {
 public:
  static Expected<std::unique_ptr<SandboxJudge>> create(const SandboxConfig& cfg);
  ~SandboxJudge() override;
  JudgeResult judge(const JudgeRequest& req) override;
  const SandboxConfig& config() const;

  struct Impl;

 private:
  explicit SandboxJudge(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepcoder::sandbox
