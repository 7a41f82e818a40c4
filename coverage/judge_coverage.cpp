// judge_with_coverage: a thin layer over any sandbox::Judge (fakes included).
#include "coverage/judge_coverage.h"

#include <chrono>

namespace stepcoder::coverage {

sandbox::JudgeResult judge_with_coverage(sandbox::Judge& judge, const sandbox::JudgeRequest& req,
                                         CoverageResult* out, const InstrumentOptions& opts) {
  CoverageResult local;
  CoverageResult& cov = out ? *out : local;
  cov = CoverageResult{};
  auto t0 = std::chrono::steady_clock::now();
  Expected<Instrumented> inst = instrument(req.program, opts);
  cov.instrument_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!inst) {
    cov.error = inst.error();
    return judge.judge(req);
  }
  sandbox::JudgeRequest ireq = req;
  ireq.instrumented_source = inst->source;
  ireq.shared_bytes = inst->shared_bytes();
  sandbox::JudgeResult r = judge.judge(ireq);
  if (r.verdict == sandbox::Verdict::CompileError) {
    // Clang accepted what the judge's compiler rejects (or the reverse of a compiler quirk):
    // the plain program's own diagnostics are the ones that matter.
    cov.error = "the instrumented program does not compile; judged without coverage";
    return judge.judge(req);
  }
  cov.instrumented = std::move(*inst);
  for (const sandbox::TestResult& t : r.tests) {
    cov.per_test.push_back(decode(cov.instrumented, t.shared));
    merge_into(cov.merged, cov.per_test.back());
  }
  cov.merged.counts.resize(cov.instrumented.counters, 0);
  cov.available = true;
  return r;
}

}  // namespace stepcoder::coverage
