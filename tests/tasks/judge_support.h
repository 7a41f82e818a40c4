// A judge shared by the tasks tests that run real programs; compiled binaries are cached in
// the build directory so reruns are fast.
#pragma once

#include "sandbox/judge.h"

namespace stepcoder::tasks::test_support {

sandbox::SandboxJudge& judge();

}  // namespace stepcoder::tasks::test_support
