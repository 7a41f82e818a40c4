// SandboxJudge: its creation (boxes, compiler, PCH), the dispatch of a request, stdin/stdout
// tests and contained tools. Assert-style tests are in judge_assert.cpp. See judge.h.
#include "sandbox/judge.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "sandbox/harness.h"
#include "sandbox/judge_impl.h"
#include "sandbox/line_directives.h"
#include "sandbox/run_verdict.h"
#include "util/files.h"
#include "util/jsonl.h"

namespace stepcoder::sandbox {

namespace {

// Boxes are started as concurrent judge() calls need them, up to this many.
constexpr int kMaxSlots = 64;

JudgeResult internal_error(std::string message) {
  JudgeResult r;
  r.verdict = Verdict::CompileError;
  r.message = "internal: " + std::move(message);
  return r;
}

// A one-line summary for humans: the first failing run's detail.
std::string summarize(const JudgeResult& r) {
  for (size_t i = 0; i < r.tests.size(); ++i) {
    const TestResult& t = r.tests[i];
    if (t.verdict == Verdict::Passed) continue;
    std::string where = r.tests.size() > 1 ? "test " + std::to_string(i + 1) + ": " : "";
    return where + verdict_name(t.verdict) + (t.detail.empty() ? "" : ": " + t.detail);
  }
  return "";
}

}  // namespace

const char* isolation_name(Isolation i) {
  switch (i) {
    case Isolation::Judge: return "judge";
    case Isolation::Split: return "split";
    case Isolation::InProcess: return "in_process";
  }
  return "?";
}

std::string SandboxJudge::Impl::compile_into(const std::string& source, Box& box, int checks_total,
                                             const CompileOptions& opts, JudgeResult& out) {
  CompileOutput c = compiler->compile(source, box, opts);
  out.compile_ms += c.ms;
  out.compile_cpu_ms += c.cpu_ms;
  out.cache_hit = c.cache_hit;
  out.diagnostics = std::move(c.diagnostics);
  out.checks_total = checks_total;
  if (!c.ok) {
    out.verdict = Verdict::CompileError;
    out.message = c.message;
    out.compile_stopped = c.stopped;
    return "";
  }
  uint64_t footprint = static_footprint(c.binary);
  if (footprint > (uint64_t{static_cast<uint64_t>(cfg.run.memory_mb)} << 20)) {
    TestResult t;
    t.verdict = Verdict::MemoryLimit;
    t.detail = "static data of " + std::to_string(footprint >> 20) + " MiB exceeds the memory limit";
    out.tests.push_back(std::move(t));
    return "";
  }
  return c.binary;
}

void SandboxJudge::Impl::judge_io(const JudgeRequest& req, const std::string& program, Box& box,
                                  JudgeResult& out) {
  int cases = static_cast<int>(req.tests.cases.size());
  std::string binary = compile_into(program, box, cases, compile_budget(req), out);
  if (binary.empty()) return;
  SpawnSpec spec = run_spec(cfg, binary, box::Who::Program);
  spec.shared_bytes = req.shared_bytes;
  for (const IoCase& c : req.tests.cases) {
    spec.stdin_data = c.input;
    TestResult t;
    auto r = box.run({spec});
    if (!r) {
      t.verdict = Verdict::RuntimeError;
      t.detail = "judge failed to run the program: " + r.error();
    } else {
      std::string detail;
      Verdict v = classify((*r)[0], cfg.run, detail);
      t = to_test(std::move((*r)[0]), v, std::move(detail));
    }
    if (t.verdict == Verdict::Passed && c.output && !outputs_match(t.stdout_text, *c.output)) {
      t.verdict = Verdict::Failed;
      t.detail = "wrong answer";
    }
    out.checks_passed += t.verdict == Verdict::Passed;
    out.run_ms += t.ms;
    bool stop = (req.stop_on_first_failure && t.verdict != Verdict::Passed) || !r;
    out.tests.push_back(std::move(t));
    if (stop) break;
  }
}

JudgeResult SandboxJudge::judge(const JudgeRequest& req) {
  size_t bad = 0;
  if (!valid_utf8(req.program, &bad)) {
    bool nul = bad < req.program.size() && req.program[bad] == '\0';
    JudgeResult r;
    r.verdict = Verdict::CompileError;
    r.message = std::string(nul ? "program contains a NUL byte" : "program is not valid UTF-8") +
                " at byte " + std::to_string(bad);
    return r;
  }
  auto lease = impl_->slots->acquire();
  if (!lease) return internal_error(lease.error());
  // The instrumenter works on the neutralised program already (coverage/judge_coverage.cpp).
  const std::string program = req.instrumented_source
                                  ? *req.instrumented_source
                                  : neutralize_line_directives(req.program, impl_->trigraphs);
  JudgeResult out;
  out.verdict = Verdict::Passed;
  if (req.tests.kind == Tests::Kind::Assert) impl_->judge_assert(req, program, lease->box(), out);
  else impl_->judge_io(req, program, lease->box(), out);
  if (out.verdict == Verdict::CompileError) return out;
  out.verdict = out.tests.empty() ? Verdict::Passed : aggregate(out.tests);
  if (out.checks_total > 0) out.pass_ratio = double(out.checks_passed) / out.checks_total;
  else out.pass_ratio = out.verdict == Verdict::Passed ? 1.0 : 0.0;
  out.message = summarize(out);
  return out;
}

Expected<ToolResult> SandboxJudge::run_tool(const ToolRequest& req) {
  auto lease = impl_->slots->acquire();
  if (!lease) return Error(lease.error());
  Box& box = lease->box();
  if (Status st = box.clear_work(); !st) return Error(st.error());
  const SandboxConfig& cfg = impl_->cfg;
  SpawnSpec s;
  s.who = box::Who::Compiler;
  s.exec_path = req.executable;
  s.argv = {req.executable.substr(req.executable.rfind('/') + 1)};
  s.argv.insert(s.argv.end(), req.args.begin(), req.args.end());
  s.env = {"LANG=C", "LC_ALL=C", "TMPDIR=" + box.work_dir()};
  s.workdir = box.work_dir();
  s.stdin_data = req.input;
  s.cpu_ms = cfg.compile.cpu_ms;
  s.wall_ms = cfg.compile.wall_ms;
  s.memory_bytes = int64_t{cfg.compile.memory_mb} << 20;
  s.file_bytes = 0;
  s.output_cap = req.output_cap;
  auto r = box.run({s});
  if (!r) return Error(r.error());
  SpawnResult& x = (*r)[0];
  ToolResult t;
  t.exit_code = x.exit_code;
  t.ms = x.wall_ms;
  t.cpu_ms = x.cpu_ms;
  if (x.exec_errno) t.stopped = std::string("cannot start: ") + std::strerror(x.exec_errno);
  else if (x.cpu_timeout || x.wall_timeout) t.stopped = x.cpu_timeout ? "CPU time limit" : "wall-clock limit";
  else if (x.output_exceeded) t.stopped = "output limit";
  else if (x.signal) t.stopped = "killed by " + signal_text(x.signal);
  t.out = std::move(x.out);
  t.err = std::move(x.err);
  return t;
}

std::string SandboxJudge::tools_dir() const { return impl_->tools_dir; }

std::pair<uint32_t, uint32_t> SandboxJudge::uid_range() const { return impl_->slots->uid_range(); }

SandboxJudge::SandboxJudge(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SandboxJudge::~SandboxJudge() = default;
const SandboxConfig& SandboxJudge::config() const { return impl_->cfg; }

Expected<std::unique_ptr<SandboxJudge>> SandboxJudge::create(const SandboxConfig& cfg) {
  auto impl = std::make_unique<Impl>();
  impl->cfg = cfg;
  impl->trigraphs = standard_has_trigraphs(cfg.std);
  impl->cache_dir = default_cache_dir(cfg.cache_dir);
  impl->tools_dir = impl->cache_dir + "/tools";
  std::string pch = Compiler::pch_root(impl->cache_dir);
  for (const std::string& d : {pch, impl->tools_dir})
    if (Status st = make_dirs(d); !st) return Error("compile cache: " + st.error());
  auto box = find_helper("stepcoder-box");
  if (!box) return Error(box.error());
  BoxOptions base;
  base.executable = *box;
  base.readonly = {pch, impl->tools_dir};
  base.uid_base = static_cast<uint32_t>(cfg.uid_base);
  auto slots = SlotPool::create(base, kMaxSlots);
  if (!slots) return Error(slots.error());
  impl->slots = std::move(*slots);
  {
    auto lease = impl->slots->acquire();
    if (!lease) return Error(lease.error());
    auto compiler = Compiler::create(cfg, lease->box());
    if (!compiler) return Error(compiler.error());
    impl->compiler = std::move(*compiler);
  }
  return std::unique_ptr<SandboxJudge>(new SandboxJudge(std::move(impl)));
}

}  // namespace stepcoder::sandbox
