// A judge shared by the tests that run real programs: short limits so hostile programs end
// quickly, and a private compile cache under the build tree, so reruns are fast.
#pragma once

#include <memory>

#include "sandbox/judge.h"

namespace stepcoder::sandbox::test_support {

SandboxConfig test_config();
// A judge of its own with `cfg`; aborts the test run with the reason if it cannot start.
std::unique_ptr<SandboxJudge> make_judge(const SandboxConfig& cfg);
// Created once per test binary; aborts the test run with the reason if the judge cannot start.
SandboxJudge& shared_judge();
// The same with the project's default limits, for tests that judge the suite's reference
// solutions (test_config()'s limits are for hostile programs); the same compile cache.
SandboxJudge& default_judge();
JudgeResult run_program(const std::string& program, const std::string& input = "",
                        std::optional<std::string> expected = std::nullopt);
// Assert tests in the program's process (no entry point: the in-process fallback).
JudgeResult run_asserts(const std::string& program, const std::string& tests);
// Assert tests apart from the program, calling `entry` declared as `declaration` after `context`.
JudgeResult run_split(const std::string& program, const std::string& tests, const std::string& entry,
                      const std::string& declaration,
                      const std::string& context = "#include <bits/stdc++.h>\nusing namespace std;\n");

}  // namespace stepcoder::sandbox::test_support
