// Judging with coverage: instrument the program, let the judge compile the instrumented text
// and hand each run a shared counter region, decode the counters per test and merged.
// When the program cannot be instrumented (Clang rejects it) or the instrumented text does not
// compile, the plain program is judged instead, so the verdict and diagnostics are always
// those of the program itself; coverage is then unavailable, with the reason.
//
//   CoverageResult cov;
//   JudgeResult r = judge_with_coverage(judge, problem.request(completion), &cov);
//   if (cov.available) mask = token_mask(cov.instrumented, cov.merged, prompt.size(), ranges);
#pragma once

#include <string>
#include <vector>

#include "coverage/coverage_map.h"
#include "coverage/instrument.h"
#include "sandbox/judge.h"

namespace stepcoder::coverage {

struct CoverageResult {
  bool available = false;
  std::string error;               // why coverage is unavailable
  Instrumented instrumented;       // statement map (empty when instrumentation failed)
  std::vector<CoverageMap> per_test;  // one per JudgeResult::tests entry
  CoverageMap merged;              // sum over the tests whose counters came back
  double instrument_ms = 0;
};

sandbox::JudgeResult judge_with_coverage(sandbox::Judge& judge, const sandbox::JudgeRequest& req,
                                         CoverageResult* out, const InstrumentOptions& opts = {});

}  // namespace stepcoder::coverage
