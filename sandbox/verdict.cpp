// Verdict names: see verdict.h.
#include "sandbox/verdict.h"

namespace stepcoder::sandbox {

static constexpr const char* kNames[kVerdictCount] = {
    "passed", "failed", "compile_error", "runtime_error",
    "timeout", "memory_limit", "output_limit", "violation"};

const char* verdict_name(Verdict v) { return kNames[static_cast<int>(v)]; }

std::optional<Verdict> parse_verdict(std::string_view name) {
  for (int i = 0; i < kVerdictCount; ++i)
    if (name == kNames[i]) return static_cast<Verdict>(i);
  return std::nullopt;
}

}  // namespace stepcoder::sandbox
