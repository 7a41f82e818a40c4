// `stepcoder tasks ...`: generate the bundled suite, import foreign benchmarks, print
// statistics, generate unit tests from reference solutions. Flags only; the work is in the
// tasks/ library.
#include <cstdio>
#include <memory>

#include "app/common.h"
#include "app/verb.h"
#include "tasks/gen/generate.h"
#include "tasks/problem_io.h"
#include "tasks/stats.h"
#include "tasks/testgen/testgen.h"
#include "util/progress.h"

namespace stepcoder::app {
namespace {

void print_json(const Json& j) { std::printf("%s\n", j.dump().c_str()); }

int report_error(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

struct GenerateArgs {
  tasks::GenerateOptions opts;
  std::string out, suite = "bundled";
  bool json = false;
};

int run_generate_dispatch(const GenerateArgs& a) {
  tasks::DispatchOptions o;
  o.seed = a.opts.seed;
  tasks::DispatchSuite s = tasks::generate_dispatch_suite(o);
  if (Status st = tasks::write_dispatch_suite(a.out, s); !st) return report_error(st.error());
  if (a.json) {
    print_json({{"out", a.out}, {"seed", o.seed}, {"sft", s.sft.size()}, {"train", s.train.size()},
                {"hidden", s.hidden.size()}, {"valid", s.valid.size()}, {"test", s.test.size()}});
  } else {
    std::printf("wrote %s/{sft,train,hidden,valid,test}.jsonl: %zu sft, %zu train (PPO pool), %zu hidden parts, "
                "%zu valid, %zu test\n",
                a.out.c_str(), s.sft.size(), s.train.size(), s.hidden.size(), s.valid.size(), s.test.size());
  }
  return 0;
}

int run_generate_records(const GenerateArgs& a) {
  tasks::RecordsOptions o;
  o.seed = a.opts.seed;
  tasks::RecordsSuite s = tasks::generate_records_suite(o);
  if (Status st = tasks::write_records_suite(a.out, s); !st) return report_error(st.error());
  if (a.json) {
    print_json({{"out", a.out}, {"seed", o.seed}, {"sft", s.sft.size()}, {"train", s.train.size()},
                {"valid", s.valid.size()}, {"test", s.test.size()}});
  } else {
    std::printf("wrote %s/{sft,train,valid,test}.jsonl: %zu sft, %zu train (PPO pool), %zu valid, %zu test\n",
                a.out.c_str(), s.sft.size(), s.train.size(), s.valid.size(), s.test.size());
  }
  return 0;
}

int run_generate(const GenerateArgs& a) {
  if (a.suite == "dispatch") return run_generate_dispatch(a);
  if (a.suite == "records") return run_generate_records(a);
  tasks::Suite suite = tasks::generate_suite(a.opts);
  if (Status st = tasks::write_suite(a.out, suite); !st) return report_error(st.error());
  std::vector<tasks::Problem> all = suite.train;
  all.insert(all.end(), suite.valid.begin(), suite.valid.end());
  all.insert(all.end(), suite.test.begin(), suite.test.end());
  tasks::ProblemStats stats = tasks::compute_stats(all);
  if (a.json) {
    Json j = tasks::stats_to_json(stats);
    j["out"] = a.out;
    j["seed"] = a.opts.seed;
    print_json(j);
  } else {
    std::printf("wrote %s/{train,valid,test}.jsonl: %zu train, %zu valid, %zu test\n", a.out.c_str(),
                suite.train.size(), suite.valid.size(), suite.test.size());
  }
  return 0;
}

struct ImportArgs {
  std::string src, out;
  tasks::LoadOptions load;
  bool json = false;
};

int run_import(const ImportArgs& a) {
  auto set = tasks::load_problems(a.src, a.load);
  if (!set) return report_error(set.error());
  for (const std::string& w : set->warnings) std::fprintf(stderr, "warning: skipped %s\n", w.c_str());
  if (Status st = tasks::write_problems(a.out, set->problems); !st) return report_error(st.error());
  if (a.json) {
    print_json({{"src", a.src}, {"out", a.out}, {"format", set->format},
                {"problems", set->problems.size()}, {"skipped_no_solution", set->skipped_no_solution},
                {"skipped_bad", set->skipped_bad}});
  } else {
    std::printf("%s (%s): wrote %zu problems to %s; skipped %d without a reference solution, %d malformed\n",
                a.src.c_str(), set->format.c_str(), set->problems.size(), a.out.c_str(),
                set->skipped_no_solution, set->skipped_bad);
  }
  return 0;
}

struct StatsArgs {
  std::vector<std::string> files;
  std::string format = "auto";
  bool json = false;
};

int run_stats(const StatsArgs& a) {
  std::vector<tasks::Problem> all;
  for (const std::string& f : a.files) {
    tasks::LoadOptions opts;
    opts.format = a.format;
    opts.keep_without_solution = true;
    auto set = tasks::load_problems(f, opts);
    if (!set) return report_error(set.error());
    for (auto& p : set->problems) all.push_back(std::move(p));
  }
  tasks::ProblemStats stats = tasks::compute_stats(all);
  if (a.json) {
    print_json(tasks::stats_to_json(stats));
  } else {
    std::fputs(tasks::stats_to_text(stats).c_str(), stdout);
  }
  return 0;
}

struct GenTestsArgs {
  std::string in, out, config;
  std::vector<std::string> sets;
  tasks::TestGenOptions opts;
  bool json = false;
};

void print_gen_summary(const tasks::TestGenReport& r) {
  Json s = tasks::testgen_summary(r);
  std::printf("%zu problems: %d got generated tests (%d checks); %zu unsupported, %zu hard-coded, "
              "%zu failed verification, %zu printer failures, %zu without valid inputs; %.0f s\n",
              r.problems.size(), s["counts"]["generated"].get<int>(), s["generated_checks"].get<int>(),
              r.ids(tasks::GenStatus::Unsupported).size(), r.ids(tasks::GenStatus::HardCoded).size(),
              r.ids(tasks::GenStatus::VerifyFailed).size(), r.ids(tasks::GenStatus::PrinterFailed).size(),
              r.ids(tasks::GenStatus::NoValidInputs).size(), r.seconds);
  for (const tasks::TaskGen& t : r.tasks) {
    if (t.status == tasks::GenStatus::Generated || t.status == tasks::GenStatus::NoReference) continue;
    std::printf("  %-16s %-16s %s\n", t.task_id.c_str(), tasks::gen_status_name(t.status), printable(t.detail).c_str());
  }
}

int run_gen_tests(GenTestsArgs a) {
  auto set = tasks::load_problems(a.in);
  if (!set) return report_error(set.error());
  for (const std::string& w : set->warnings) std::fprintf(stderr, "warning: skipped %s\n", w.c_str());
  auto cfg = load_sandbox_config(a.config, a.sets);
  if (!cfg) return report_error(cfg.error());
  if (a.opts.workers <= 0) a.opts.workers = cfg->workers;
  auto judge = sandbox::SandboxJudge::create(*cfg);
  if (!judge) return report_error("starting the judge: " + judge.error());
  std::unique_ptr<Progress> bar;
  std::string current;
  auto report = tasks::generate_tests(std::move(set->problems), **judge, a.opts,
                                      [&](const std::string& phase, size_t done, size_t total) {
                                        if (phase != current) {
                                          if (bar) bar->finish();
                                          bar = std::make_unique<Progress>(phase, static_cast<int64_t>(total));
                                          current = phase;
                                        }
                                        bar->update(static_cast<int64_t>(done));
                                      });
  if (bar) bar->finish();
  if (!report) return report_error(a.in + ": " + report.error());
  if (Status st = tasks::write_problems(a.out, report->problems); !st) return report_error(st.error());
  if (a.json) {
    Json j = tasks::testgen_summary(*report);
    j["in"] = a.in;
    j["out"] = a.out;
    j["per_task"] = a.opts.per_task;
    j["seed"] = a.opts.seed;
    print_json(j);
  } else {
    print_gen_summary(*report);
  }
  return 0;
}

void add_gen_tests(CLI::App& tasks) {
  auto args = std::make_shared<GenTestsArgs>();
  CLI::App* cmd = tasks.add_subcommand(
      "gen-tests", "Generate assert-style unit tests from reference solutions (expected values by running them)");
  cmd->add_option("in", args->in, "Problem file (any supported format) with reference solutions")->required();
  cmd->add_option("-o,--out", args->out, "Output JSONL: every problem, generated checks before its own tests")
      ->required();
  cmd->add_option("--per-task", args->opts.per_task, "Inputs drawn per task")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_option("--seed", args->opts.seed, "Random seed; with the task id it decides every input")
      ->capture_default_str();
  cmd->add_option("-j,--jobs", args->opts.workers, "Parallel judges (default: sandbox.workers, 0 = cores)");
  cmd->add_option("--config", args->config, "YAML config whose `sandbox` section sets limits");
  cmd->add_option("--set", args->sets, "Override a config key, e.g. sandbox.run.cpu_ms=500");
  cmd->add_flag("--json", args->json, "Print the summary as one JSON object");
  cmd->callback([args] { set_exit_code(run_gen_tests(*args)); });
}

void add_generate(CLI::App& tasks) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = tasks.add_subcommand("generate", "Generate the C++ task suite (train/valid/test JSONL)");
  cmd->add_option("--seed", args->opts.seed, "Random seed; the same seed gives the same suite")->capture_default_str();
  cmd->add_option("-o,--out", args->out, "Output directory")->required();
  cmd->add_option("--suite", args->suite,
                  "bundled: the suite of examples/suite; dispatch: the FGO experiment suite; records: the CCCS "
                  "experiment suite (tasks/gen/SUITE.md)")
      ->capture_default_str()->check(CLI::IsMember({"bundled", "dispatch", "records"}));
  cmd->add_option("--per-family", args->opts.per_family, "Train+valid problems per compositional family, at most")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--test-size", args->opts.test_size, "Held-out test problems, at most")
      ->capture_default_str()->check(CLI::Range(0, 100000));
  cmd->add_option("--valid-percent", args->opts.valid_percent, "Share of in-distribution problems for valid")
      ->capture_default_str()->check(CLI::Range(0, 100));
  cmd->add_flag("--json", args->json, "Print statistics of the suite as one JSON object");
  cmd->callback([args] { set_exit_code(run_generate(*args)); });
}

void add_import(CLI::App& tasks) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = tasks.add_subcommand("import", "Convert HumanEval-X, MBXP or APPS records to the project JSONL");
  cmd->add_option("src", args->src, "Source file (.jsonl or .jsonl.gz)")->required();
  cmd->add_option("--format", args->load.format, "auto, project, humaneval-x, mbxp or apps")
      ->capture_default_str()->check(CLI::IsMember({"auto", "project", "humaneval-x", "mbxp", "apps"}));
  cmd->add_option("-o,--out", args->out, "Output JSONL file")->required();
  cmd->add_flag("--skip-bad", args->load.skip_bad, "Skip malformed records with a warning instead of failing");
  cmd->add_flag("--keep-unsolved", args->load.keep_without_solution,
                "Keep records without a reference solution (skipped by default)");
  cmd->add_flag("--json", args->json, "Print the result as one JSON object");
  cmd->callback([args] { set_exit_code(run_import(*args)); });
}

void add_stats(CLI::App& tasks) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* cmd = tasks.add_subcommand("stats", "Counts per family, difficulty and split; test counts; solution lengths");
  cmd->add_option("files", args->files, "Problem files (any supported format); statistics cover all of them")
      ->required();
  cmd->add_option("--format", args->format, "auto, project, humaneval-x, mbxp or apps")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->callback([args] { set_exit_code(run_stats(*args)); });
}

}  // namespace

void add_tasks_verb(CLI::App& app) {
  CLI::App* tasks = app.add_subcommand("tasks", "Task suites: generate, import, statistics, test generation");
  tasks->require_subcommand(1);
  add_generate(*tasks);
  add_import(*tasks);
  add_stats(*tasks);
  add_gen_tests(*tasks);
}

}  // namespace stepcoder::app
