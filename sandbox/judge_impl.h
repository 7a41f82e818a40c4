// SandboxJudge's inside, shared by judge.cpp (creation, io tests, tools) and judge_assert.cpp
// (assert-style tests, split and in process). Internal to sandbox/.
#pragma once

#include <algorithm>
#include <memory>
#include <string>

#include "sandbox/compiler.h"
#include "sandbox/judge.h"
#include "sandbox/slots.h"

namespace stepcoder::sandbox {

struct SplitTests;

struct SandboxJudge::Impl {
  SandboxConfig cfg;
  std::string cache_dir, tools_dir;
  bool trigraphs = false;
  std::unique_ptr<SlotPool> slots;
  std::unique_ptr<Compiler> compiler;

  // Compiles `source` into out (time, diagnostics, cache); on failure, or when its static data
  // exceed the memory limit, fills `out` with that verdict and returns "".
  std::string compile_into(const std::string& source, Box& box, int checks_total,
                           const CompileOptions& opts, JudgeResult& out);
  // The compiler's CPU limit for this request's program.
  CompileOptions compile_budget(const JudgeRequest& req) const {
    CompileOptions o;
    o.cpu_ms = std::max(1, cfg.compile.cpu_ms - std::max(0, req.compile_cpu_spent_ms));
    return o;
  }
  void judge_io(const JudgeRequest& req, const std::string& program, Box& box, JudgeResult& out);
  void judge_assert(const JudgeRequest& req, const std::string& program, Box& box, JudgeResult& out);
  void judge_split(const JudgeRequest& req, const std::string& program, const SplitTests& split,
                   const CompileOutput& tests, Box& box, JudgeResult& out);
  void judge_in_process(const JudgeRequest& req, const std::string& program, Box& box, JudgeResult& out);
};

}  // namespace stepcoder::sandbox
