// Test harnesses. Assert-style tests (HumanEval-X, MBXP) are appended after the program; the
// harness counts every check instead of trusting the exit status, and a run passes only when
// the harness's own main() reports a per-run nonce after the test code returned. So exit(0)
// before the tests, a redefined assert or NDEBUG, a user __assert_fail or abort, or a static
// constructor that exits cannot yield `passed`.
#pragma once

#include <string>

namespace stepcoder::sandbox {

// The program followed by the harness and the rewritten test code. Checks in the test code
// (`assert(...)`, and MBXP's `throw runtime_error(...)` on a failed case) become counted calls.
struct AssembledTests {
  std::string source;
  int static_checks = 0;  // check sites found in the test code
};
AssembledTests assemble_assert_tests(const std::string& program, const std::string& test_code);

// What the harness reported over kReportFd.
struct HarnessReport {
  int passed = 0;
  int failed = 0;
  bool completed = false;   // the nonce arrived: the test code ran to its end
  bool exception = false;   // an exception escaped the test code
  int test_main_rc = 0;     // the test code's main() return value
  std::string first_failure;  // "tests.cpp:5: has_close_elements(a, 0.3)==true"
};
HarnessReport parse_report(const std::string& bytes, const std::string& nonce);

// Output comparison for stdin/stdout tests: equal up to trailing whitespace on each line and
// trailing blank lines.
bool outputs_match(const std::string& got, const std::string& expected);

}  // namespace stepcoder::sandbox
