// The judge: compiles a C++ program and runs it against tests inside the sandbox. Its threat
// model (docs/judge.md): the program is written by a policy paid for `passed`, so the
// verdict and the pass ratio rest only on what trusted code observed.
// Public API of sandbox/ — the library knows nothing else of the project.
//
//   SandboxConfig cfg;                         // limits, compiler, cache dir (config.h)
//   auto judge = SandboxJudge::create(cfg);    // checks the compiler, builds the PCH
//   if (!judge) die(judge.error());
//   JudgeRequest req;
//   req.program = prompt + completion;
//   req.tests.kind = Tests::Kind::Assert;
//   req.tests.code = "int main(){ assert(add(1,2)==3); }";
//   req.tests.entry = {"add", "int add(int a, int b)", "#include <vector>\n"};  // tasks::Problem
//   JudgeResult r = (*judge)->judge(req);        // r.isolation: Split, the tests ran apart
//   printf("%s %.2f\n", verdict_name(r.verdict), r.pass_ratio);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/config.h"
#include "sandbox/spawn.h"
#include "sandbox/verdict.h"
#include "util/expected.h"

namespace stepcoder::sandbox {

struct IoCase {
  std::string input;
  std::optional<std::string> output;  // absent: any output passes, only the exit status counts
};

// How assert tests reach the program's entry point from a process of their own
// (split_harness.h). The problem's own text, never a completion's; empty when the problem has
// no entry point, and then the tests run in the program's process (JudgeResult::isolation).
struct EntryPoint {
  std::string name;         // "has_close_elements"
  std::string declaration;  // "bool has_close_elements(vector<float> numbers, float threshold)"
  std::string context;      // what precedes it in the problem: includes, using-directives, helpers
};

struct Tests {
  enum class Kind { Io, Assert };
  Kind kind = Kind::Io;
  std::vector<IoCase> cases;  // Io: one run per case, stdout compared to output
  std::string code;           // Assert: test code with its own main()
  EntryPoint entry;           // Assert: how the test code calls the program
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
  // CPU already spent on compiling this program (its instrumentation, an earlier compile): the
  // compiler gets the configured limit less this, so no program gets more than one limit.
  int compile_cpu_spent_ms = 0;
};

// Where the verdict of an assert-style run came from.
enum class Isolation {
  Judge,      // io tests: the judge compared the output itself
  Split,      // the test code ran in a trusted process of its own (split_harness.h)
  InProcess,  // the fallback: the test code shared the program's process (harness.h), which
              // the program could in principle tamper with
};
const char* isolation_name(Isolation i);  // "judge", "split", "in_process"

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
  double compile_cpu_ms = 0;  // the compiler's CPU time for this request (0 on cache hits)
  bool compile_stopped = false;  // CompileError because a limit (or the judge itself) ended the compiler
  Isolation isolation = Isolation::Judge;
  std::string isolation_note;  // InProcess: why the tests could not run apart from the program
};

// A trusted helper program (the coverage instrumenter) run on untrusted input, contained as
// the compiler is: the compiler's uid, view and limits, with tools_dir() read-only.
struct ToolRequest {
  std::string executable;         // host path, run through a descriptor
  std::vector<std::string> args;  // after argv[0]
  std::string input;              // its stdin
  size_t output_cap = 32 << 20;
};

struct ToolResult {
  int exit_code = -1;
  std::string out, err;
  std::string stopped;  // why a limit or a signal ended it ("CPU time limit"), "" otherwise
  double ms = 0, cpu_ms = 0;
};

// Anything that turns a request into a verdict. PPO and curriculum tests use fakes.
class Judge {
 public:
  virtual ~Judge() = default;
  virtual JudgeResult judge(const JudgeRequest& req) = 0;
  // Contained tools; a judge that contains nothing (a fake) runs none.
  virtual Expected<ToolResult> run_tool(const ToolRequest&) {
    return Error("this judge runs no contained tools");
  }
  // A host directory that contained tools may read (their precompiled headers); "" for none.
  virtual std::string tools_dir() const { return ""; }
};

// The real judge: compile (cached, PCH) then run, everything untrusted in a box (box.h) under
// seccomp and rlimits. Thread-safe: judge() may be called from many threads at once (pool.h),
// each call holding a box of its own.
class SandboxJudge : public Judge {
 public:
  static Expected<std::unique_ptr<SandboxJudge>> create(const SandboxConfig& cfg);
  ~SandboxJudge() override;
  JudgeResult judge(const JudgeRequest& req) override;
  Expected<ToolResult> run_tool(const ToolRequest& req) override;
  std::string tools_dir() const override;
  const SandboxConfig& config() const;
  // The host uids its compilers, programs and test processes run as (root), first and last;
  // {0, 0} when the judge is not root (each box is then a user namespace of the caller's uid).
  std::pair<uint32_t, uint32_t> uid_range() const;

  struct Impl;

 private:
  explicit SandboxJudge(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepcoder::sandbox
