// judge_with_coverage: a thin layer over any sandbox::Judge (fakes included). The program is
// instrumented in the judge's box by stepcoder-instrument (instrument_main.cpp) when the judge
// runs contained tools; a judge that runs none (a fake, which compiles nothing) gets the
// in-process instrumenter.
#include "coverage/judge_coverage.h"

#include <chrono>
#include <mutex>

#include "coverage/clang_parse.h"
#include "coverage/instrument_wire.h"
#include "sandbox/line_directives.h"
#include "util/files.h"

namespace stepcoder::coverage {

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

Expected<std::string> instrumenter_path() {
  static std::once_flag once;
  static Expected<std::string> path = Error("");
  std::call_once(once, [] { path = find_helper("stepcoder-instrument"); });
  return path;
}

struct Outcome {
  Expected<Instrumented> inst = Error("");
  std::string stopped;  // a limit or a crash ended the instrumenter
  double cpu_ms = 0;
};

Outcome instrument_contained(sandbox::Judge& judge, const std::string& program,
                             const InstrumentOptions& opts) {
  Outcome o;
  auto exe = instrumenter_path();
  if (!exe) {
    o.inst = Error(exe.error());
    return o;
  }
  // The precompiled header's input is the system's own header: it is built here, once, where
  // the contained instrumenter can read it.
  InstrumentOptions po = opts;
  po.cache_dir = judge.tools_dir() + "/clang-pch";
  std::string pch = opts.use_pch && opts.force_include_stdcpp ? stdcpp_pch(po) : "";
  sandbox::ToolRequest req;
  req.executable = *exe;
  req.args = {"--std", opts.std};
  if (!pch.empty()) req.args.insert(req.args.end(), {"--pch", pch});
  for (const auto& a : opts.extra_args) req.args.insert(req.args.end(), {"--arg", a});
  req.input = program;
  auto r = judge.run_tool(req);
  if (!r) {
    o.inst = Error("instrumenter: " + r.error());
    return o;
  }
  o.cpu_ms = r->cpu_ms;
  if (!r->stopped.empty() || r->exit_code != 0) {
    bool oom = r->err.find("out of memory") != std::string::npos;
    o.stopped = oom ? "memory limit" : !r->stopped.empty() ? r->stopped : "exit code " + std::to_string(r->exit_code);
    o.inst = Error("instrumenter stopped: " + o.stopped);
    return o;
  }
  o.inst = decode_instrumented(r->out, program);
  return o;
}

sandbox::JudgeResult instrumenter_stopped(const std::string& why) {
  sandbox::JudgeResult r;
  r.verdict = sandbox::Verdict::CompileError;
  r.compile_stopped = true;
  r.message = "instrumenter stopped: " + why;
  return r;
}

}  // namespace

sandbox::JudgeResult judge_with_coverage(sandbox::Judge& judge, const sandbox::JudgeRequest& req,
                                         CoverageResult* out, const InstrumentOptions& opts) {
  CoverageResult local;
  CoverageResult& cov = out ? *out : local;
  cov = CoverageResult{};
  // What the judge compiles has no #line directives; the instrumenter must see the same text.
  sandbox::JudgeRequest plain = req;
  plain.program = sandbox::neutralize_line_directives(req.program, sandbox::standard_has_trigraphs(opts.std));
  auto t0 = std::chrono::steady_clock::now();
  Outcome o;
  if (judge.tools_dir().empty()) o.inst = instrument(plain.program, opts);
  else o = instrument_contained(judge, plain.program, opts);
  cov.instrument_ms = ms_since(t0);
  if (!o.stopped.empty()) {
    cov.error = o.inst.error();
    return instrumenter_stopped(o.stopped);  // a compile error, never a stuck or dead judge
  }
  plain.compile_cpu_spent_ms += static_cast<int>(o.cpu_ms);
  if (!o.inst) {
    cov.error = o.inst.error();
    return judge.judge(plain);
  }
  sandbox::JudgeRequest ireq = plain;
  ireq.instrumented_source = o.inst->source;
  ireq.shared_bytes = o.inst->shared_bytes();
  sandbox::JudgeResult r = judge.judge(ireq);
  if (r.verdict == sandbox::Verdict::CompileError) {
    if (r.compile_stopped) {
      cov.error = "the instrumented program's compilation was stopped";
      return r;  // the plain program gets no second limit of its own
    }
    // Clang accepted what the judge's compiler rejects (or the reverse of a compiler quirk):
    // the plain program's own diagnostics are the ones that matter.
    cov.error = "the instrumented program does not compile; judged without coverage";
    plain.compile_cpu_spent_ms += static_cast<int>(r.compile_cpu_ms);
    return judge.judge(plain);
  }
  cov.instrumented = std::move(*o.inst);
  for (const sandbox::TestResult& t : r.tests) {
    cov.per_test.push_back(decode(cov.instrumented, t.shared));
    merge_into(cov.merged, cov.per_test.back());
  }
  cov.merged.counts.resize(cov.instrumented.counters, 0);
  cov.available = true;
  return r;
}

}  // namespace stepcoder::coverage
