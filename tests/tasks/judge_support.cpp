// Shared judge for the tasks tests: see judge_support.h.
#include "tests/tasks/judge_support.h"

#include <cstdio>
#include <cstdlib>

namespace stepcoder::tasks::test_support {

sandbox::SandboxJudge& judge() {
  static std::unique_ptr<sandbox::SandboxJudge> j = [] {
    sandbox::SandboxConfig cfg;
    cfg.cache_dir = std::string(STEPCODER_BINARY_DIR) + "/test-cache";
    auto created = sandbox::SandboxJudge::create(cfg);
    if (!created) {
      std::fprintf(stderr, "cannot create the judge: %s\n", created.error().c_str());
      std::abort();
    }
    return std::move(*created);
  }();
  return *j;
}

}  // namespace stepcoder::tasks::test_support
