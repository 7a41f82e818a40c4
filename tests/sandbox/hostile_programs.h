// The hostile programs of tests/sandbox/hostile/*.cpp, each with the verdict its
// `// expect: VERDICT` line names and the text its `// no-leak: TEXT` line says must appear
// nowhere; plus one socket program per address family. Shared by the root and non-root tests.
#pragma once

#include <string>
#include <vector>

#include "sandbox/judge.h"

namespace stepcoder::sandbox::test_support {

struct Hostile {
  std::string name, source;
  Verdict expected;
  std::string must_not_leak;  // text that must not appear in diagnostics or output
};

std::vector<Hostile> load_hostile();
// One run each with empty stdin and no expected output: the verdict is the process's.
std::vector<JudgeRequest> run_requests(const std::vector<Hostile>& programs);

}  // namespace stepcoder::sandbox::test_support
