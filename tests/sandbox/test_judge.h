// A judge shared by the sandbox tests: short limits so hostile programs end quickly, and a
// private compile cache under the build tree.
#pragma once

#include "sandbox/judge.h"

namespace stepcoder::sandbox::test_support {

SandboxConfig test_config();
// Created once per test binary; aborts the test run with the reason if the judge cannot start.
SandboxJudge& shared_judge();
JudgeResult run_program(const std::string& program, const std::string& input = "",
                        std::optional<std::string> expected = std::nullopt);
// Assert tests in the program's process (no entry point: the in-process fallback).
JudgeResult run_asserts(const std::string& program, const std::string& tests);
// Assert tests apart from the program, calling `entry` declared as `declaration` after `context`.
JudgeResult run_split(const std::string& program, const std::string& tests, const std::string& entry,
                      const std::string& declaration,
                      const std::string& context = "#include <bits/stdc++.h>\nusing namespace std;\n");

}  // namespace stepcoder::sandbox::test_support
