// Program text for unit-test generation: the printer program that runs a reference solution on
// many calls and prints each result framed on stdout, the parser for that output, the call
// expressions of a problem's own tests, and the assert-style test code that is finally kept.
//
//   std::string src = printer_program(p.canonical_program(), sig.ret, {"f(1)", "f(2)"});
//   // judge `src` with stdin "0\n" (the first call to run), then:
//   PrinterOutput out = parse_printer_output(stdout_text);   // payloads by call index
//   auto code = assemble_test_code(checks, sig.ret, p.tests); // original tests kept
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sandbox/judge.h"
#include "tasks/testgen/values.h"
#include "util/expected.h"

namespace stepcoder::tasks {

// `program` followed by printer functions for `ret` and a main() that reads the index of the
// first call to run from stdin and prints, for each call from there on, a record
// "\n@@stepcoder INDEX LEN\n" + LEN bytes (printer_functions format), flushed at once so that a
// crash keeps what came before; "\n@@stepcoder end\n" closes a complete run.
std::string printer_program(const std::string& program, const TypeSpec& ret,
                            const std::vector<std::string>& calls);

struct PrinterOutput {
  std::map<int, std::string> payloads;  // call index -> printed bytes
  int last = -1;                        // highest index printed
  bool finished = false;                // the end record was seen
};

// Anything the solution itself printed between records is ignored.
PrinterOutput parse_printer_output(const std::string& stdout_text);

// Calls of `entry_point` in test code, argument text as written: "minCost(vector<int>{1, 2}, 2)".
// At most `max` of them, in order; calls nested in another call's arguments are not separate.
std::vector<std::string> original_calls(const std::string& test_code, const std::string& entry_point,
                                        size_t max);

struct Check {
  std::string call;  // the call expression
  Value expected;    // what the reference returned
};

// Test code that checks every `checks` entry (floating-point results within 1e-6, relative
// above 1) in a function stepcoder_generated_tests(), called first thing in the original
// tests' main(); for io-style originals the code gets a main() of its own. An error when the
// original assert code has no `int main(...) {` to call it from.
Expected<std::string> assemble_test_code(const std::vector<Check>& checks, const TypeSpec& ret,
                                         const sandbox::Tests& original);

}  // namespace stepcoder::tasks
