// `stepcoder eval CONFIG --checkpoint C --split test [-n K]`: pass@1 and pass@k (unbiased
// estimator) at each temperature in eval.temperatures, the verdict mix and sample diversity.
// `--data FILE [--format F]` evaluates the problems of an external file (HumanEval-X C++,
// MBXP, project JSONL) instead of a split. A prompt longer than the model's context is not
// sampled: it counts as a failure and the count is reported, so long benchmarks never abort.
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "run/layout.h"
#include "model/inference.h"
#include "sandbox/pool.h"
#include "tasks/problem_io.h"
#include "trainer/sft.h"
#include "trainer/sft_eval.h"
#include "util/progress.h"

namespace stepcoder::app {
namespace {

struct EvalArgs {
  std::string config, checkpoint, split, data, format = "auto";
  std::vector<std::string> sets;
  int n = 0, problems = -1;
  std::vector<double> temperatures;
  bool json = false;
};

// The problems to evaluate: a split of the config's files, or every problem of --data.
Expected<std::vector<tasks::Problem>> load_eval_problems(const EvalArgs& a, const run::SftRunConfig& cfg) {
  if (a.data.empty()) return trainer::load_split(cfg.sft, cfg.eval.split);
  tasks::LoadOptions opts;
  opts.format = a.format == "jsonl" ? tasks::kFormatProject : a.format;
  opts.keep_without_solution = true;  // evaluation needs tests, not reference solutions
  auto set = tasks::load_problems(a.data, opts);
  if (!set) return Error(set.error());
  if (set->problems.empty()) return Error(a.data + ": no problems");
  return std::move(set->problems);
}

// Moves problems whose prompt does not fit the model's context (with room for one generated
// token) out of `problems`; returns their task ids.
std::vector<std::string> drop_long_prompts(std::vector<tasks::Problem>* problems, const model::InferenceModel& m) {
  const size_t context = static_cast<size_t>(m.config().context);
  std::vector<tasks::Problem> fit;
  std::vector<std::string> dropped;
  for (tasks::Problem& p : *problems) {
    auto ids = m.tokenizer().encode_prompt(p.prompt);
    if (!ids || ids->size() < context) fit.push_back(std::move(p));  // a template error shows when sampling
    else dropped.push_back(p.task_id);
  }
  *problems = std::move(fit);
  return dropped;
}

// Counts the unsampled problems as failures: pass@k is taken over all problems.
void count_as_failures(trainer::EvalReport* r, const std::vector<std::string>& too_long) {
  const int total = r->problems + static_cast<int>(too_long.size());
  for (auto& t : r->results) {
    for (auto& [k, v] : t.pass_at_k) v = total > 0 ? v * r->problems / total : 0;
    t.correct.resize(static_cast<size_t>(total), 0);
  }
  r->task_ids.insert(r->task_ids.end(), too_long.begin(), too_long.end());
  r->problems = total;
}

// A report with zero pass rates, for when no prompt fits the context.
trainer::EvalReport empty_report(const run::EvalConfig& cfg) {
  trainer::EvalReport r;
  for (double t : cfg.temperatures) {
    trainer::TemperatureResult tr;
    tr.temperature = t, tr.samples_per_problem = t > 0 ? cfg.n : 1;
    for (double k : cfg.k)
      if (k <= tr.samples_per_problem) tr.pass_at_k[static_cast<int>(k)] = 0;
    r.results.push_back(tr);
  }
  return r;
}

void print_report(const EvalArgs& a, const trainer::EvalReport& report, const std::string& path,
                  const std::string& source, int too_long) {
  if (a.json) {
    Json j = trainer::report_json(report);
    j["checkpoint"] = path, j[a.data.empty() ? "split" : "data"] = source;
    j["prompts_too_long"] = too_long;
    if (too_long > 0)
      for (Json& t : j["results"]) t["verdicts"]["prompt_too_long"] = too_long * t["samples_per_problem"].get<int>();
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  std::printf("%s on %s: %s", path.c_str(), source.c_str(), trainer::report_text(report).c_str());
  if (too_long > 0) std::printf("  %d prompts longer than the context (counted as failures)\n", too_long);
}

void eval_verb(const EvalArgs& a) {
  run::SftRunConfig cfg;
  ConfigSchema schema = run::sft_run_schema(cfg);
  if (Status st = run::load_run_config(a.config, schema); !st) return fail(st.error());
  for (const std::string& s : a.sets)
    if (Status st = schema.set(s); !st) return fail(st.error());
  if (!a.split.empty()) cfg.eval.split = a.split;
  if (a.n > 0) cfg.eval.n = a.n;
  if (a.problems >= 0) cfg.eval.problems = a.problems;
  if (!a.temperatures.empty()) cfg.eval.temperatures = a.temperatures;
  auto problems = load_eval_problems(a, cfg);
  if (!problems) return fail(problems.error());
  // Splits are ordered by family: the first N problems would be a few families, not the split.
  trainer::keep_evenly_spaced(*problems, cfg.eval.problems);
  std::string path = a.checkpoint.empty() ? run::RunLayout(cfg.sft.run_dir).checkpoint("best") : a.checkpoint;
  auto m = model::InferenceModel::load(path, cfg.model.device, cfg.model.threads, cfg.model.prompt);
  if (!m) return fail(m.error());
  const std::vector<std::string> dropped = drop_long_prompts(&*problems, **m);
  const int too_long = static_cast<int>(dropped.size());
  auto judge = sandbox::SandboxJudge::create(cfg.sandbox);
  if (!judge) return fail(judge.error());
  sandbox::JudgePool pool(**judge, cfg.sandbox.workers);
  trainer::SampleFn sample = [&](const std::vector<std::string>& prompts, const model::SamplingConfig& sc) {
    return (*m)->generate(prompts, sc);
  };
  Expected<trainer::EvalReport> report = empty_report(cfg.eval);
  if (!problems->empty()) {
    Progress bar("eval", 0, !a.json);
    report = trainer::evaluate_pass_at_k(*problems, sample, pool, cfg.sampling, cfg.eval,
                                         [&](size_t done, size_t) { bar.update(static_cast<int64_t>(done)); });
    bar.finish();
  }
  if (!report) return fail(report.error(), 1);
  count_as_failures(&*report, dropped);
  print_report(a, *report, path, a.data.empty() ? cfg.eval.split : a.data, too_long);
}

}  // namespace

void add_eval_verb(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval", "pass@1 / pass@k of a checkpoint in the judge");
  cmd->add_option("config", a->config, "YAML config (sft files, eval, sampling, sandbox)")->required();
  cmd->add_option("--checkpoint", a->checkpoint, "checkpoint (default: RUN_DIR/checkpoints/best.pt)");
  auto* split = cmd->add_option("--split", a->split, "train, select, valid or test (default: eval.split)")
                    ->check(CLI::IsMember({"train", "select", "valid", "test"}));
  cmd->add_option("--data", a->data, "evaluate the problems of this file instead of a split (.jsonl or .jsonl.gz)")
      ->excludes(split);
  cmd->add_option("--format", a->format, "format of --data (default: detected from the first record)")
      ->check(CLI::IsMember({"auto", "humaneval-x", "mbxp", "jsonl", "project", "apps"}));
  cmd->add_option("-n", a->n, "samples per problem at temperatures > 0 (default: eval.n)");
  cmd->add_option("--temperatures", a->temperatures, "temperatures, e.g. --temperatures 0 0.8")->expected(1, 16);
  cmd->add_option("--problems", a->problems, "evaluate N problems spread evenly over the split (0 = all)");
  cmd->add_option("--set", a->sets, "override a config key, e.g. eval.n=20");
  cmd->add_flag("--json", a->json, "print one JSON object");
  cmd->callback([a] { eval_verb(*a); });
}

}  // namespace stepcoder::app
