// Assert-style tests: apart from the program when the problem declares its entry point
// (split_harness.h), in the program's process otherwise (harness.h). See judge.h.
#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>

#include "sandbox/judge_impl.h"
#include "sandbox/run_verdict.h"
#include "sandbox/split_harness.h"

namespace stepcoder::sandbox {

namespace {

// Check counts: a completed run's silent MBXP cases passed; an interrupted run gets credit
// only for the checks it was seen to pass; an untrusted report gets none.
void count_checks(const HarnessReport& rep, bool completed, int static_checks, JudgeResult& out) {
  out.checks_total = std::max(static_checks, rep.passed + rep.failed);
  if (rep.malformed) out.checks_passed = 0;
  else out.checks_passed = completed ? out.checks_total - rep.failed : rep.passed;
}

// The verdict of a run whose program's process verdict (limits, signals, exit status) is `v`;
// `tests_v` is the separate test process's (split), whose failure the program's results caused.
void verdict_from_report(const HarnessReport& rep, bool completed, Verdict& v, std::string& detail,
                         Verdict tests_v = Verdict::Passed, const std::string& tests_detail = "") {
  if (v != Verdict::Passed) {
    if (rep.ended) detail += " (" + rep.first_failure + ")";
    else if (!rep.first_failure.empty()) detail += " after " + rep.first_failure;
    return;
  }
  if (rep.malformed) {
    v = Verdict::Failed, detail = "the report channel was tampered with";
  } else if (rep.ended) {
    v = Verdict::RuntimeError, detail = rep.first_failure;
  } else if (rep.exception) {
    v = Verdict::RuntimeError, detail = "uncaught " + rep.first_failure;
  } else if (tests_v != Verdict::Passed) {
    // An out-of-range index into a result too short, a loop over a huge one.
    v = tests_v == Verdict::Timeout ? Verdict::Timeout : Verdict::RuntimeError;
    detail = "the test code failed on the program's results: " + tests_detail;
  } else if (!completed) {
    v = Verdict::Failed, detail = "the test code did not run to its end (the program exited early)";
  } else if (rep.failed > 0) {
    v = Verdict::Failed, detail = "failed check " + rep.first_failure;
  }
}

std::string random_secret() {
  unsigned char bytes[16] = {};
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) return "";
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char b : bytes) s += hex[b >> 4], s += hex[b & 15];
  return s;
}

TestResult run_failure(const std::string& error) {
  TestResult t;
  t.verdict = Verdict::RuntimeError;
  t.detail = "judge failed to run the program: " + error;
  return t;
}

}  // namespace

void SandboxJudge::Impl::judge_assert(const JudgeRequest& req, const std::string& program, Box& box,
                                      JudgeResult& out) {
  Expected<SplitTests> split = split_tests(req.tests);
  CompileOutput tests;
  if (split) tests = compiler->compile(split->tests_source, box, {0, /*remember_failure=*/true});
  if (split && tests.ok) {
    out.isolation = Isolation::Split;
    judge_split(req, program, *split, tests, box, out);
    return;
  }
  out.isolation = Isolation::InProcess;
  out.isolation_note = split ? "the tests do not compile apart from the program: " + tests.message
                             : split.error();
  judge_in_process(req, program, box, out);
}

void SandboxJudge::Impl::judge_split(const JudgeRequest& req, const std::string& program,
                                     const SplitTests& split, const CompileOutput& tests, Box& box,
                                     JudgeResult& out) {
  std::string source = program;
  if (!source.empty() && source.back() != '\n') source += '\n';
  source += split.server;
  int static_checks = std::max(1, split.checks.static_checks);
  out.compile_ms += tests.ms;
  std::string binary = compile_into(source, box, static_checks, compile_budget(req), out);
  if (binary.empty()) return;
  int call[2], reply[2];
  if (::pipe2(call, O_CLOEXEC) != 0 || ::pipe2(reply, O_CLOEXEC) != 0) {
    out.tests.push_back(run_failure("pipe2"));
    return;
  }
  SpawnSpec prog = run_spec(cfg, binary, box::Who::Program);
  prog.shared_bytes = req.shared_bytes;
  prog.extra_fds = {{call[0], kCallFd}, {reply[1], kReplyFd}};
  SpawnSpec test = run_spec(cfg, tests.binary, box::Who::Tests);
  test.want_report = true;
  test.extra_fds = {{call[1], kCallFd}, {reply[0], kReplyFd}};
  auto r = box.run({prog, test});  // takes the four pipe ends
  if (!r) {
    out.tests.push_back(run_failure(r.error()));
    return;
  }
  SpawnResult& p = (*r)[0];
  SpawnResult& t = (*r)[1];
  HarnessReport rep = parse_report(t.report, "", split.checks.static_checks);
  bool completed = rep.completed && !rep.malformed;
  count_checks(rep, completed, split.checks.static_checks, out);
  std::string detail, test_detail;
  Verdict v = classify(p, cfg.run, detail);
  Verdict tv = classify(t, cfg.run, test_detail);
  verdict_from_report(rep, completed, v, detail, tv, test_detail);
  TestResult res = to_test(std::move(p), v, std::move(detail));
  out.run_ms += res.ms;
  out.tests.push_back(std::move(res));
}

void SandboxJudge::Impl::judge_in_process(const JudgeRequest& req, const std::string& program,
                                          Box& box, JudgeResult& out) {
  AssembledTests a = assemble_assert_tests(program, req.tests.code);
  std::string binary =
      compile_into(a.source, box, std::max(1, a.checks.static_checks), compile_budget(req), out);
  if (binary.empty()) return;
  std::string secret = random_secret();
  int sec[2];
  if (secret.empty() || ::pipe2(sec, O_CLOEXEC) != 0) {
    out.tests.push_back(run_failure("no secret for the report channel"));
    return;
  }
  ssize_t written = ::write(sec[1], secret.data(), secret.size());
  ::close(sec[1]);
  SpawnSpec spec = run_spec(cfg, binary, box::Who::Program);
  spec.shared_bytes = req.shared_bytes;
  spec.want_report = true;
  spec.extra_fds = {{sec[0], kSecretFd}};
  auto r = box.run({spec});
  if (!r || written != static_cast<ssize_t>(secret.size())) {
    out.tests.push_back(run_failure(r ? "writing the secret" : r.error()));
    return;
  }
  SpawnResult& p = (*r)[0];
  HarnessReport rep = parse_report(p.report, secret, a.checks.static_checks);
  // In one process a jump out of the test code could skip checks: every assert must have
  // reported for the run to count as complete.
  bool every_assert = std::all_of(rep.sites.begin(), rep.sites.begin() + a.checks.assert_sites,
                                  [](bool seen) { return seen; });
  bool completed = rep.completed && !rep.malformed && every_assert;
  count_checks(rep, completed, a.checks.static_checks, out);
  std::string detail;
  Verdict v = classify(p, cfg.run, detail);
  verdict_from_report(rep, completed, v, detail);
  TestResult res = to_test(std::move(p), v, std::move(detail));
  out.run_ms += res.ms;
  out.tests.push_back(std::move(res));
}

}  // namespace stepcoder::sandbox
