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
JudgeResult run_asserts(const std::string& program, const std::string& tests);

}  // namespace stepcoder::sandbox::test_support
