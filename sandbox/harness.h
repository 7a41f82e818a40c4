// Assert-style tests (HumanEval-X, MBXP, the bundled suite). The trusted way to run them is
// apart from the program (split_harness.h): the test code runs in a process of its own that
// calls the program's entry point through a channel. What both ways share is here: the
// rewriting of checks into counted calls, the report records, and their parser; and the
// fallback for a problem whose entry point cannot be called that way (no declared entry point,
// a type the codec lacks): the program and the tests in one binary, hardened as far as one
// process can be, and flagged as such in the verdict (JudgeResult::isolation).
#pragma once

#include <string>
#include <vector>

namespace stepcoder::sandbox {

// Test code with its checks rewritten: `assert(...)` and MBXP's `throw runtime_error(...)` on a
// failed case become calls that report to the judge, each with its site number.
struct CheckedCode {
  std::string code;
  int static_checks = 0;  // check sites: asserts, then failure throws
  int assert_sites = 0;   // sites 0 .. assert_sites-1 are asserts, which report passes too
};
CheckedCode rewrite_checks(const std::string& test_code);

// Namespace __sc_sys: sys3(nr, a, b, c), a raw x86-64 system call, and exit_now(code), as C++
// text for both sides of the judge's harness, so no libc function a program may define is called.
const char* raw_syscall_source();
// The reporting runtime (after raw_syscall_source()) and check macros, as C++ text for the binary that runs the test code:
// records go straight to kReportFd through raw system calls, so nothing the program defines
// (write, strlen, ...) sits in the path.
const char* report_runtime_source();
// The test code's wrapping: what goes before it (macros, main renamed) and after it (the real
// main, which runs the test code, reports an escaping exception and then completion).
// `completion` is C++ that reports the completion record ('D').
std::string tests_prologue();
std::string tests_epilogue(const std::string& completion);

// The in-process fallback: the program, the harness and the test code in one translation unit.
// The completion record carries a secret that the harness reads from kSecretFd only after the
// test code returned (never argv, never memory the program sees before the tests run).
struct AssembledTests {
  std::string source;
  CheckedCode checks;
};
AssembledTests assemble_assert_tests(const std::string& program, const std::string& test_code);

// Report records, as the harness writes them: a type byte, a 32-bit length, the payload.
//   P <site>            a check passed        F <site> <line> <text>   a check failed
//   X <text>            an exception escaped the test code
//   E <text>            the program ended, or answered wrongly, during a call (split only)
//   D <secret>          the test code ran to its end
struct HarnessReport {
  int passed = 0;
  int failed = 0;
  bool completed = false;   // 'D' arrived (with the expected secret, in process)
  bool exception = false;   // an exception escaped the test code
  bool ended = false;       // 'E': the program ended during a call
  bool malformed = false;   // bytes that are no record: the report is not trusted at all
  std::vector<bool> sites;  // check sites that reported
  std::string first_failure;  // "tests.cpp:5: has_close_elements(a, 0.3)==true", ...
};
// `secret` empty: the report came from the trusted test process, which alone writes it.
HarnessReport parse_report(const std::string& bytes, const std::string& secret, int sites);

// Output comparison for stdin/stdout tests: equal up to trailing whitespace on each line and
// trailing blank lines.
bool outputs_match(const std::string& got, const std::string& expected);

}  // namespace stepcoder::sandbox
