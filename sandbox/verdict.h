// Verdicts of a judged program, ordered from worst to best as rewards see them.
#pragma once

#include <optional>
#include <string_view>

namespace stepcoder::sandbox {

enum class Verdict {
  Passed,        // every check passed
  Failed,        // wrong answer or a failed assertion
  CompileError,  // the compiler rejected it (or ran out of time/memory)
  RuntimeError,  // crashed, non-zero exit, uncaught exception
  Timeout,       // CPU or wall-clock limit
  MemoryLimit,   // address-space limit hit
  OutputLimit,   // wrote more than the output cap
  Violation,     // a system call the policy forbids
};

// "passed", "failed", "compile_error", "runtime_error", "timeout", "memory_limit",
// "output_limit", "violation".
const char* verdict_name(Verdict v);
std::optional<Verdict> parse_verdict(std::string_view name);
constexpr int kVerdictCount = 8;

}  // namespace stepcoder::sandbox
