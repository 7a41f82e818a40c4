// `stepcoder judge PROBLEMS [--canonical | --solutions FILE] [--json] [-j N] [--coverage DIR]`:
// judges reference or given solutions of a problem file (project JSONL, HumanEval-X, MBXP or
// APPS; plain or .gz) in the sandbox, one line per task, closing with "N passed, M failed".
// With --coverage each line also gives the share of the solution that FGO would keep (the
// non-blank bytes of statements the tests ran), and the close gives its mean: how much a suite's
// tests leave unexecuted in correct programs, before any training.
// Exit status: 0 when every task passed, 1 when some did not, 2 for bad input.
#include <algorithm>
#include <cstdio>
#include <map>

#include "app/common.h"
#include "app/verb.h"
#include "coverage/judge_coverage.h"
#include "coverage/report.h"
#include "coverage/token_mask.h"
#include "tasks/problem_io.h"
#include "util/files.h"
#include "util/progress.h"

namespace stepcoder::app {
namespace {

struct JudgeArgs {
  std::string problems, solutions, format = "auto", coverage_dir, config;
  std::vector<std::string> sets;
  bool canonical = false, json = false, skip_bad = false;
  int workers = 0;
};

// (task_id, solution) pairs from a {"task_id", "solution"} JSONL file, in file order; a task
// may have several solutions.
Expected<std::vector<std::pair<std::string, std::string>>> load_solutions(const std::string& path) {
  auto file = read_jsonl(path);
  if (!file) return Error(file.error());
  std::vector<std::pair<std::string, std::string>> out;
  for (const JsonlRow& row : file->rows) {
    std::string where = path + ":" + std::to_string(row.line) + ": ";
    const Json& v = row.value;
    if (!v.contains("task_id") || !v["task_id"].is_string())
      return Error(where + "missing string field 'task_id'");
    if (!v.contains("solution") || !v["solution"].is_string())
      return Error(where + "missing string field 'solution'");
    out.emplace_back(v["task_id"].get<std::string>(), v["solution"].get<std::string>());
  }
  return out;
}

std::string fmt_kept(double kept) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "kept %5.1f%%", 100 * kept);
  return buf;
}

struct Job {
  const tasks::Problem* problem;
  std::string completion;
};

void write_coverage(const std::string& dir, const tasks::Problem& p, const coverage::CoverageResult& cov,
                    const std::string& program) {
  if (!cov.available) return;
  std::string name = coverage::tracefile_name(p.task_id);
  std::string source = dir + "/" + name.substr(0, name.size() - 5) + ".cpp";
  (void)write_file_atomic(source, program);
  (void)write_file_atomic(dir + "/" + name, coverage::to_lcov(cov.instrumented, cov.merged, source, p.task_id));
}

// `kept`: the FGO-kept share of the solution, or < 0 without coverage.
void print_result(const Job& job, const sandbox::JudgeResult& r, double kept, bool json) {
  if (json) {
    Json j = result_json(r);
    j.erase("tests");
    j["task_id"] = job.problem->task_id;
    if (kept >= 0) j["fgo_kept"] = kept;
    std::printf("%s\n", j.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
  } else {
    std::string share = kept >= 0 ? fmt_kept(kept) + "  " : "";
    std::printf("%-24s %-13s %5.2f  %s%s%s\n", job.problem->task_id.c_str(),
                sandbox::verdict_name(r.verdict), r.pass_ratio, share.c_str(), printable(r.message).c_str(),
                r.isolation == sandbox::Isolation::InProcess ? " [tests in the program's process]" : "");
  }
}

// The closing line's coverage part: mean, smallest and largest kept share of the programs that
// compiled with coverage.
std::string kept_summary(const std::vector<double>& kept) {
  double sum = 0, lo = 1, hi = 0;
  int n = 0;
  for (double k : kept)
    if (k >= 0) sum += k, lo = std::min(lo, k), hi = std::max(hi, k), ++n;
  if (n == 0) return "; no program compiled with coverage";
  char buf[160];
  std::snprintf(buf, sizeof buf, "; FGO keeps %.1f%% of the solutions (mean of %d; smallest %.1f%%, largest %.1f%%)",
                100 * sum / n, n, 100 * lo, 100 * hi);
  return buf;
}

void judge_verb(const JudgeArgs& a) {
  tasks::LoadOptions lo;
  lo.format = a.format;
  lo.skip_bad = a.skip_bad;
  lo.keep_without_solution = !a.solutions.empty();
  auto set = tasks::load_problems(a.problems, lo);
  if (!set) return fail(set.error());
  for (const auto& w : set->warnings) std::fprintf(stderr, "warning: skipped %s\n", w.c_str());
  std::vector<Job> jobs;
  if (!a.solutions.empty()) {
    auto sols = load_solutions(a.solutions);
    if (!sols) return fail(sols.error());
    std::map<std::string, const tasks::Problem*> by_id;
    for (const auto& p : set->problems) by_id[p.task_id] = &p;
    for (const auto& [id, text] : *sols) {
      auto it = by_id.find(id);
      if (it == by_id.end()) return fail(a.solutions + ": task '" + id + "' is not in " + a.problems);
      jobs.push_back({it->second, text});
    }
  } else {
    for (const auto& p : set->problems) jobs.push_back({&p, p.canonical_solution});
  }
  if (!a.coverage_dir.empty())
    if (Status st = make_dirs(a.coverage_dir); !st) return fail(st.error());
  auto cfg = load_sandbox_config(a.config, a.sets);
  if (!cfg) return fail(cfg.error());
  auto judge = sandbox::SandboxJudge::create(*cfg);
  if (!judge) return fail("starting the judge: " + judge.error(), 1);

  std::vector<sandbox::JudgeResult> results(jobs.size());
  std::vector<double> kept(jobs.size(), -1.0);
  Progress bar("judge", static_cast<int64_t>(jobs.size()));
  parallel_for(
      jobs.size(), a.workers > 0 ? a.workers : cfg->workers,
      [&](size_t i) {
        sandbox::JudgeRequest req = jobs[i].problem->request(jobs[i].completion);
        if (a.coverage_dir.empty()) {
          results[i] = (*judge)->judge(req);
          return;
        }
        coverage::CoverageResult cov;
        results[i] = coverage::judge_with_coverage(**judge, req, &cov);
        if (cov.available && results[i].verdict != sandbox::Verdict::CompileError)
          kept[i] = coverage::kept_share(cov.instrumented, cov.merged, jobs[i].problem->prompt.size());
        write_coverage(a.coverage_dir, *jobs[i].problem, cov, req.program);
      },
      [&](size_t done) { bar.update(static_cast<int64_t>(done)); });
  bar.finish();
  int passed = 0;
  for (size_t i = 0; i < jobs.size(); ++i) {
    print_result(jobs[i], results[i], kept[i], a.json);
    passed += results[i].verdict == sandbox::Verdict::Passed;
  }
  int failed = static_cast<int>(jobs.size()) - passed;
  std::printf("%d passed, %d failed%s\n", passed, failed, a.coverage_dir.empty() ? "" : kept_summary(kept).c_str());
  set_exit_code(failed == 0 ? 0 : 1);
}

}  // namespace

void add_judge_verb(CLI::App& app) {
  auto a = std::make_shared<JudgeArgs>();
  CLI::App* cmd = app.add_subcommand("judge", "Judge solutions of a problem file in the sandbox");
  cmd->add_option("problems", a->problems, "problem file: project JSONL, HumanEval-X, MBXP or APPS (.jsonl or .jsonl.gz)")
      ->required();
  auto* canon = cmd->add_flag("--canonical", a->canonical, "judge the reference solutions (the default)");
  cmd->add_option("--solutions", a->solutions, "JSONL of {\"task_id\", \"solution\"}: text that follows each prompt")
      ->excludes(canon);
  cmd->add_option("--format", a->format, "auto, project, humaneval-x, mbxp or apps")
      ->check(CLI::IsMember({"auto", "project", "humaneval-x", "mbxp", "apps"}));
  cmd->add_flag("--skip-bad", a->skip_bad, "skip malformed records with a warning instead of failing");
  cmd->add_option("-j,--jobs", a->workers, "parallel judges (default: sandbox.workers, 0 = cores)");
  cmd->add_option("--coverage", a->coverage_dir,
                  "write one LCOV tracefile (and the program) per task here, and print the share FGO keeps");
  add_judge_options(cmd, &a->config, &a->sets, &a->json);
  cmd->callback([a] { judge_verb(*a); });
}

}  // namespace stepcoder::app
