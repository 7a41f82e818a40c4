// `stepcoder coverage PROGRAM.cpp [--stdin FILE ...] [--problem FILE --task ID] [--lcov OUT]
// [--html OUT] [--json]`: judge a program with statement coverage and report which lines ran.
// Exit status: 0 when every test passed, 1 for any other verdict, 2 for bad input.
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "coverage/judge_coverage.h"
#include "coverage/report.h"
#include "tasks/problem_io.h"
#include "util/files.h"

namespace stepcoder::app {
namespace {

struct CoverageArgs {
  std::string program, problem_file, task, lcov, html, config;
  std::vector<std::string> stdin_files, sets;
  bool json = false;
};

// The request to judge: the program file against --stdin cases, or against a task's tests
// (the task's reference program when no file is given). `name` is what reports call it.
Expected<sandbox::JudgeRequest> build_request(const CoverageArgs& a, std::string* name) {
  sandbox::JudgeRequest req;
  if (!a.problem_file.empty()) {
    if (a.task.empty()) return Error("--problem needs --task ID");
    auto set = tasks::load_problems(a.problem_file);
    if (!set) return Error(set.error());
    const tasks::Problem* p = nullptr;
    for (const auto& q : set->problems) p = q.task_id == a.task ? &q : p;
    if (!p) return Error(a.problem_file + ": no task '" + a.task + "'");
    req = p->request(p->canonical_solution);
    *name = coverage::tracefile_name(p->task_id);
    name->replace(name->size() - 5, 5, ".cpp");
  } else if (a.program.empty()) {
    return Error("give PROGRAM.cpp, or --problem FILE --task ID");
  }
  if (!a.program.empty()) {
    auto source = read_file(a.program);
    if (!source) return Error(source.error());
    req.program = *source;
    *name = a.program;
  }
  if (a.problem_file.empty()) {
    for (const auto& f : a.stdin_files) {
      auto in = read_file(f);
      if (!in) return Error(in.error());
      req.tests.cases.push_back({*in, std::nullopt});
    }
    if (req.tests.cases.empty()) req.tests.cases.push_back({"", std::nullopt});
  }
  return req;
}

// Writes the LCOV tracefile; a program that came from a task is written beside it so that
// genhtml finds the source the SF record names.
Status write_lcov(const CoverageArgs& a, const coverage::CoverageResult& cov,
                  const std::string& name) {
  std::string source_path = name;
  if (a.program.empty()) {
    std::string dir = a.lcov.find('/') == std::string::npos ? "." : a.lcov.substr(0, a.lcov.rfind('/'));
    source_path = dir + "/" + name;
    if (auto s = write_file_atomic(source_path, cov.instrumented.program); !s) return s;
  }
  return write_file_atomic(a.lcov, coverage::to_lcov(cov.instrumented, cov.merged, source_path,
                                                     a.task.empty() ? "" : a.task));
}

void print_human(const sandbox::JudgeResult& r, const coverage::CoverageResult& cov,
                 const std::string& name) {
  for (const auto& d : r.diagnostics)
    std::fprintf(stderr, "%s:%d:%d: %s: %s\n", name.c_str(), d.line, d.column,
                 d.severity.c_str(), printable(d.message).c_str());
  std::printf("verdict: %s%s%s (%d/%d checks)\n", sandbox::verdict_name(r.verdict),
              r.message.empty() ? "" : " - ", printable(r.message).c_str(), r.checks_passed,
              r.checks_total);
  if (!cov.available) {
    std::printf("coverage: unavailable: %s\n", cov.error.c_str());
    return;
  }
  coverage::CoverageSummary s = coverage::summarize(cov.instrumented, cov.merged);
  std::printf("coverage: %d/%d lines, %d/%d statements, %d/%d functions over %zu run(s)\n",
              s.lines_hit, s.lines, s.statements_hit, s.statements, s.functions_hit,
              s.functions, cov.per_test.size());
  std::string missed;
  for (const auto& l : coverage::line_counts(cov.instrumented, cov.merged))
    if (l.count == 0) missed += " " + std::to_string(l.line);
  if (!missed.empty()) std::printf("not executed: lines%s\n", missed.c_str());
}

// Creates the folder an output file goes into.
Status parent_dirs(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? Status{} : make_dirs(path.substr(0, slash));
}

void coverage_verb(const CoverageArgs& a) {
  for (const std::string* out : {&a.lcov, &a.html})
    if (!out->empty())
      if (auto s = parent_dirs(*out); !s) return fail(s.error());
  std::string name;
  auto req = build_request(a, &name);
  if (!req) return fail(req.error());
  auto cfg = load_sandbox_config(a.config, a.sets);
  if (!cfg) return fail(cfg.error());
  auto judge = sandbox::SandboxJudge::create(*cfg);
  if (!judge) return fail("starting the judge: " + judge.error(), 1);
  coverage::InstrumentOptions opts;
  opts.std = cfg->std;
  if (!cfg->cache_dir.empty()) opts.cache_dir = cfg->cache_dir + "/coverage";
  coverage::CoverageResult cov;
  sandbox::JudgeResult r = coverage::judge_with_coverage(**judge, *req, &cov, opts);
  if (!a.lcov.empty() && cov.available)
    if (auto s = write_lcov(a, cov, name); !s) return fail(s.error(), 1);
  if (!a.html.empty() && cov.available)
    if (auto s = write_file_atomic(a.html, coverage::to_html(cov.instrumented, cov.merged, name)); !s)
      return fail(s.error(), 1);
  if (a.json) {
    Json j = result_json(r);
    j["coverage_available"] = cov.available;
    if (!cov.available) j["coverage_error"] = cov.error;
    j["instrument_ms"] = cov.instrument_ms;
    if (cov.available) j["coverage"] = coverage::to_json(cov.instrumented, cov.merged, cov.per_test);
    std::printf("%s\n", j.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
  } else {
    print_human(r, cov, name);
  }
  set_exit_code(r.verdict == sandbox::Verdict::Passed ? 0 : 1);
}

}  // namespace

void add_coverage_verb(CLI::App& app) {
  auto a = std::make_shared<CoverageArgs>();
  CLI::App* cmd = app.add_subcommand(
      "coverage", "Judge a program with statement coverage (which lines its tests ran)");
  cmd->add_option("program", a->program, "C++ source file (default with --problem: the task's reference)");
  cmd->add_option("--stdin", a->stdin_files, "input file for one run; repeat for several runs");
  cmd->add_option("--problem", a->problem_file, "problem file (JSONL, HumanEval-X, MBXP) whose tests to run");
  cmd->add_option("--task", a->task, "task_id in --problem");
  cmd->add_option("--lcov", a->lcov, "write an LCOV tracefile (genhtml renders it)");
  cmd->add_option("--html", a->html, "write a standalone HTML view of the source");
  add_judge_options(cmd, &a->config, &a->sets, &a->json);
  cmd->callback([a] { coverage_verb(*a); });
}

}  // namespace stepcoder::app
