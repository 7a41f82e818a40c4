// SandboxJudge: compile (cache, PCH) then run each test under the seccomp policy and limits,
// and turn what happened into verdicts. See judge.h for the contract.
#include "sandbox/judge.h"

#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <random>

#include "sandbox/compiler.h"
#include "sandbox/harness.h"
#include "sandbox/policy.h"
#include "sandbox/process.h"
#include "util/files.h"
#include "util/jsonl.h"

namespace stepcoder::sandbox {

struct SandboxJudge::Impl {
  SandboxConfig cfg;
  Policy policy;
  std::unique_ptr<Compiler> compiler;
  std::mutex rng_mu;
  std::mt19937_64 rng{std::random_device{}()};

  std::string nonce() {
    std::lock_guard<std::mutex> lock(rng_mu);
    char buf[40];
    std::snprintf(buf, sizeof buf, "OK%016llx%016llx", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng()));
    return buf;
  }

  SpawnSpec run_spec(const std::string& binary, const std::string& workdir) const {
    SpawnSpec s;
    s.exec_path = binary;
    s.argv = {"program"};
    s.workdir = workdir;
    s.policy = &policy;
    s.cpu_ms = cfg.run.cpu_ms;
    s.wall_ms = cfg.run.wall_ms;
    s.memory_bytes = int64_t{cfg.run.memory_mb} << 20;
    s.stack_bytes = int64_t{cfg.run.stack_mb} << 20;
    s.file_bytes = 0;
    s.output_cap = static_cast<size_t>(cfg.run.output_kb) << 10;
    return s;
  }

  TestResult run_once(const SpawnSpec& spec, std::string* report = nullptr);
  void judge_io(const JudgeRequest& req, const std::string& binary, const std::string& dir,
                JudgeResult& out);
  void judge_assert(const JudgeRequest& req, const std::string& binary, const std::string& dir,
                    int static_checks, JudgeResult& out);
};

namespace {

std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return name ? std::string("SIG") + name : "signal " + std::to_string(sig);
}

// What the process did, before looking at its output: everything but passed/failed.
Verdict classify(const SpawnResult& r, const RunLimits& lim, std::string& detail) {
  if (r.exec_errno == ENOMEM || r.exec_errno == E2BIG) {
    detail = "program does not fit the memory limit at start";
    return Verdict::MemoryLimit;
  }
  if (r.exec_errno != 0) {
    detail = std::string("cannot start the program: ") + std::strerror(r.exec_errno);
    return Verdict::RuntimeError;
  }
  if (r.output_exceeded) {
    detail = "output over " + std::to_string(lim.output_kb) + " KiB";
    return Verdict::OutputLimit;
  }
  if (r.cpu_timeout || r.wall_timeout) {
    detail = r.cpu_timeout ? "CPU time limit" : "wall-clock limit";
    return Verdict::Timeout;
  }
  if (r.signal == SIGSYS) {
    detail = "forbidden system call";
    return Verdict::Violation;
  }
  bool near_limit = r.max_rss_kb * 1024 >= (int64_t{lim.memory_mb} << 20) * 9 / 10;
  if ((r.signal != 0 || r.exit_code != 0) &&
      (near_limit || r.err.find("bad_alloc") != std::string::npos)) {
    detail = "memory limit of " + std::to_string(lim.memory_mb) + " MiB";
    return Verdict::MemoryLimit;
  }
  if (r.signal != 0) {
    detail = "killed by " + signal_text(r.signal);
    return Verdict::RuntimeError;
  }
  if (r.exit_code != 0) {
    detail = "exit code " + std::to_string(r.exit_code);
    return Verdict::RuntimeError;
  }
  return Verdict::Passed;
}

// Bytes the loader maps for the binary's segments (code, data, bss); 0 if unreadable. A
// program whose static arrays exceed the memory limit is killed inside execve, before main,
// which looks like a crash: measuring it up front names it correctly.
uint64_t static_footprint(const std::string& binary) {
  int fd = ::open(binary.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  Elf64_Ehdr eh;
  uint64_t total = 0;
  if (::pread(fd, &eh, sizeof eh, 0) == static_cast<ssize_t>(sizeof eh) &&
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
      eh.e_phentsize == sizeof(Elf64_Phdr) && eh.e_phnum < 64) {
    for (int i = 0; i < eh.e_phnum; ++i) {
      Elf64_Phdr ph;
      if (::pread(fd, &ph, sizeof ph, static_cast<off_t>(eh.e_phoff + i * sizeof ph)) != sizeof ph) break;
      if (ph.p_type == PT_LOAD) total += ph.p_memsz;
    }
  }
  ::close(fd);
  return total;
}

TestResult to_test(SpawnResult&& r, Verdict v, std::string detail) {
  TestResult t;
  t.verdict = v;
  t.exit_code = r.exit_code;
  t.signal = r.signal;
  t.ms = r.wall_ms;
  t.max_rss_kb = r.max_rss_kb;
  t.stdout_text = std::move(r.out);
  t.stderr_text = std::move(r.err);
  t.shared = std::move(r.shared);
  t.detail = std::move(detail);
  return t;
}

// The overall verdict: the first non-passing run's verdict wins, except that a wrong answer
// yields to a crash, timeout or violation anywhere (those say more about the program).
Verdict aggregate(const std::vector<TestResult>& tests) {
  Verdict v = Verdict::Passed;
  for (const auto& t : tests) {
    if (t.verdict == Verdict::Passed) continue;
    if (v == Verdict::Passed || v == Verdict::Failed) v = t.verdict;
  }
  return v;
}

}  // namespace

TestResult SandboxJudge::Impl::run_once(const SpawnSpec& spec, std::string* report) {
  Expected<SpawnResult> r = spawn_and_wait(spec);
  if (!r) {
    TestResult t;
    t.verdict = Verdict::RuntimeError;
    t.detail = "judge failed to run the program: " + r.error();
    return t;
  }
  std::string detail;
  Verdict v = classify(*r, cfg.run, detail);
  if (report) *report = std::move(r->report);
  return to_test(std::move(*r), v, std::move(detail));
}

void SandboxJudge::Impl::judge_io(const JudgeRequest& req, const std::string& binary,
                                  const std::string& dir, JudgeResult& out) {
  SpawnSpec spec = run_spec(binary, dir);
  spec.shared_bytes = req.shared_bytes;
  bool stop = false;
  for (const IoCase& c : req.tests.cases) {
    if (stop) break;
    spec.stdin_data = c.input;
    TestResult t = run_once(spec);
    if (t.verdict == Verdict::Passed && c.output && !outputs_match(t.stdout_text, *c.output)) {
      t.verdict = Verdict::Failed;
      t.detail = "wrong answer";
    }
    out.checks_passed += t.verdict == Verdict::Passed;
    stop = req.stop_on_first_failure && t.verdict != Verdict::Passed;
    out.run_ms += t.ms;
    out.tests.push_back(std::move(t));
  }
  out.checks_total = static_cast<int>(req.tests.cases.size());
}

void SandboxJudge::Impl::judge_assert(const JudgeRequest& req, const std::string& binary,
                                      const std::string& dir, int static_checks,
                                      JudgeResult& out) {
  SpawnSpec spec = run_spec(binary, dir);
  spec.shared_bytes = req.shared_bytes;
  spec.want_report = true;
  std::string token = nonce();
  spec.argv.push_back(token);
  std::string report;
  TestResult t = run_once(spec, &report);
  HarnessReport rep = parse_report(report, token);
  // Check counts: a completed run's silent MBXP cases passed; an interrupted run gets credit
  // only for checks it reported passing.
  out.checks_total = std::max(static_checks, rep.passed + rep.failed);
  out.checks_passed = rep.completed ? out.checks_total - rep.failed : rep.passed;
  if (t.verdict == Verdict::Passed) {
    if (rep.exception) {
      t.verdict = Verdict::RuntimeError;
      t.detail = "uncaught " + rep.first_failure;
    } else if (!rep.completed) {
      t.verdict = Verdict::Failed;
      t.detail = "the test code did not run to its end (the program exited early)";
    } else if (rep.failed > 0) {
      t.verdict = Verdict::Failed;
      t.detail = "failed check " + rep.first_failure;
    }
    // test_main_rc is not judged: the renamed test main() is an ordinary function, so one that
    // falls off its end (HumanEval-X's do) returns an indeterminate value.
  } else if (t.verdict == Verdict::RuntimeError && !rep.first_failure.empty()) {
    t.detail += " after " + rep.first_failure;
  }
  out.run_ms += t.ms;
  out.tests.push_back(std::move(t));
}

namespace {

JudgeResult compile_error(std::string message) {
  JudgeResult r;
  r.verdict = Verdict::CompileError;
  r.message = std::move(message);
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

JudgeResult SandboxJudge::judge(const JudgeRequest& req) {
  size_t bad = 0;
  if (!valid_utf8(req.program, &bad)) {
    bool nul = bad < req.program.size() && req.program[bad] == '\0';
    return compile_error(std::string(nul ? "program contains a NUL byte" : "program is not valid UTF-8") +
                         " at byte " + std::to_string(bad));
  }
  const std::string& program = req.instrumented_source ? *req.instrumented_source : req.program;
  bool assert_style = req.tests.kind == Tests::Kind::Assert;
  AssembledTests assembled;
  if (assert_style) assembled = assemble_assert_tests(program, req.tests.code);
  auto dir = TempDir::create("stepcoder-judge");
  if (!dir) return compile_error("internal: " + dir.error());
  ::chmod(dir->path().c_str(), 0711);  // the program runs as nobody with this as its cwd
  CompileOutput c = impl_->compiler->compile(assert_style ? assembled.source : program, dir->path());
  JudgeResult out;
  out.compile_ms = c.ms;
  out.cache_hit = c.cache_hit;
  out.diagnostics = std::move(c.diagnostics);
  if (!c.ok) {
    out.verdict = Verdict::CompileError;
    out.message = c.message;
    out.checks_total = assert_style ? std::max(1, assembled.static_checks)
                                    : static_cast<int>(req.tests.cases.size());
    return out;
  }
  uint64_t footprint = static_footprint(c.binary);
  if (footprint > (uint64_t{static_cast<uint64_t>(impl_->cfg.run.memory_mb)} << 20)) {
    TestResult t;
    t.verdict = Verdict::MemoryLimit;
    t.detail = "static data of " + std::to_string(footprint >> 20) + " MiB exceeds the memory limit";
    out.tests.push_back(std::move(t));
    out.checks_total = assert_style ? std::max(1, assembled.static_checks)
                                    : static_cast<int>(req.tests.cases.size());
  } else if (assert_style) {
    impl_->judge_assert(req, c.binary, dir->path(), assembled.static_checks, out);
  } else {
    impl_->judge_io(req, c.binary, dir->path(), out);
  }
  out.verdict = out.tests.empty() ? Verdict::Passed : aggregate(out.tests);
  if (out.checks_total > 0) out.pass_ratio = double(out.checks_passed) / out.checks_total;
  else out.pass_ratio = out.verdict == Verdict::Passed ? 1.0 : 0.0;
  out.message = summarize(out);
  return out;
}

SandboxJudge::SandboxJudge(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SandboxJudge::~SandboxJudge() = default;
const SandboxConfig& SandboxJudge::config() const { return impl_->cfg; }

Expected<std::unique_ptr<SandboxJudge>> SandboxJudge::create(const SandboxConfig& cfg) {
  auto impl = std::make_unique<Impl>();
  impl->cfg = cfg;
  Expected<Policy> policy = Policy::compile();
  if (!policy) return Error("seccomp policy: " + policy.error());
  impl->policy = std::move(*policy);
  auto compiler = Compiler::create(cfg);
  if (!compiler) return Error(compiler.error());
  impl->compiler = std::move(*compiler);
  return std::unique_ptr<SandboxJudge>(new SandboxJudge(std::move(impl)));
}

}  // namespace stepcoder::sandbox
