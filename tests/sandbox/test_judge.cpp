// Shared judge for the sandbox tests: see test_judge.h.
#include "tests/sandbox/test_judge.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace stepcoder::sandbox::test_support {

SandboxConfig test_config() {
  SandboxConfig cfg;
  cfg.cache_dir = std::string(STEPCODER_BINARY_DIR) + "/test-cache";
  cfg.run.cpu_ms = 1000;
  cfg.run.wall_ms = 2000;
  cfg.run.memory_mb = 256;
  cfg.run.output_kb = 64;
  cfg.compile.cpu_ms = 8000;
  cfg.compile.wall_ms = 10000;
  cfg.compile.memory_mb = 1536;
  return cfg;
}

std::unique_ptr<SandboxJudge> make_judge(const SandboxConfig& cfg) {
  auto j = SandboxJudge::create(cfg);
  if (!j) {
    std::fprintf(stderr, "cannot create the judge: %s\n", j.error().c_str());
    std::abort();
  }
  return std::move(*j);
}

SandboxJudge& shared_judge() {
  static std::unique_ptr<SandboxJudge> judge = make_judge(test_config());
  return *judge;
}

SandboxJudge& default_judge() {
  static std::unique_ptr<SandboxJudge> judge = [] {
    SandboxConfig cfg;
    cfg.cache_dir = test_config().cache_dir;
    return make_judge(cfg);
  }();
  return *judge;
}

JudgeResult run_program(const std::string& program, const std::string& input,
                        std::optional<std::string> expected) {
  JudgeRequest req;
  req.program = program;
  req.tests.cases.push_back({input, std::move(expected)});
  return shared_judge().judge(req);
}

JudgeResult run_asserts(const std::string& program, const std::string& tests) {
  JudgeRequest req;
  req.program = program;
  req.tests.kind = Tests::Kind::Assert;
  req.tests.code = tests;
  return shared_judge().judge(req);
}

JudgeResult run_split(const std::string& program, const std::string& tests, const std::string& entry,
                      const std::string& declaration, const std::string& context) {
  JudgeRequest req;
  req.program = program;
  req.tests.kind = Tests::Kind::Assert;
  req.tests.code = tests;
  req.tests.entry = {entry, declaration, context};
  return shared_judge().judge(req);
}

}  // namespace stepcoder::sandbox::test_support
