// Judging every stage of split problems in the real sandbox: the stage's prompt (with its
// given prefix) plus the stage's canonical completion must pass the problem's tests.
#pragma once

#include <string>
#include <vector>

#include "tasks/problem.h"

namespace stepcoder::curriculum::test_support {

// Judges every stage of each problem under each split kind; returns one line per stage that
// did not pass ("task stage 2/4 (control): failed: ..."), and counts the stages judged.
std::vector<std::string> judge_all_stages(const std::vector<tasks::Problem>& problems,
                                          const std::vector<std::string>& kinds, int* judged);

}  // namespace stepcoder::curriculum::test_support
