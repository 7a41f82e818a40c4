// From what a process did (SpawnResult) to a verdict: internal to sandbox/, shared by the io
// and assert-style judging in judge.cpp and judge_assert.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/judge.h"

namespace stepcoder::sandbox {

// Everything but passed/failed, before looking at the output: limits, signals, exit status.
Verdict classify(const SpawnResult& r, const RunLimits& lim, std::string& detail);
TestResult to_test(SpawnResult&& r, Verdict v, std::string detail);
// The first non-passing run's verdict, except that a wrong answer yields to a crash, timeout or
// violation anywhere (those say more about the program).
Verdict aggregate(const std::vector<TestResult>& tests);
// Bytes the loader maps for the binary's segments; 0 if unreadable.
uint64_t static_footprint(const std::string& binary);
// The spec of a judged program's (or the test process's) run under the configured limits.
SpawnSpec run_spec(const SandboxConfig& cfg, const std::string& binary, box::Who who);
std::string signal_text(int sig);

}  // namespace stepcoder::sandbox
