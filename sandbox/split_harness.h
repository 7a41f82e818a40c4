// Split assert tests: the test code runs in a trusted process of its own, and the program's
// binary holds no test code, no expected value, nothing of the harness that decides a verdict.
//
//   test process (compiled once per problem, cached)        program (compiled per completion)
//   ------------------------------------------------        ---------------------------------
//   the problem's context (includes, helpers)               prompt + completion
//   a stub with the entry point's signature:   -- call -->  a server main(): decode the
//     encode the arguments, send, wait             fd 5     arguments, call the entry point,
//     decode the result (and T& parameters)    <-- reply -- encode the result
//   the test code, its checks reporting on fd 3    fd 6
//
// Only the test process writes the report, so a pass ratio counts only checks it observed.
// The program can influence nothing but the values it returns (and its own exit). The stub is
// an ordinary function of the declared signature, so overloading, implicit conversions and
// braced initialisers in the test code mean what they did in one translation unit.
#pragma once

#include <string>

#include "sandbox/harness.h"
#include "sandbox/judge.h"
#include "util/expected.h"

namespace stepcoder::sandbox {

struct SplitTests {
  std::string tests_source;  // the test process's translation unit
  std::string server;        // appended to the program: its main() answers calls
  CheckedCode checks;
};

// Fails with the reason when the tests cannot be split (no entry point declared, a parameter
// list it cannot count); a type the codec lacks shows as a test-process compile error instead.
Expected<SplitTests> split_tests(const Tests& tests);

// The number of parameters of `name` in a declaration ("int f(vector<int> a, int b)" -> 2),
// or -1 when the parameter list is not found or not balanced.
int parameter_count(const std::string& declaration, const std::string& name);

}  // namespace stepcoder::sandbox
