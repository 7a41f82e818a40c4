// `stepcoder eval CONFIG --checkpoint C --split test [-n K]`: pass@1 and pass@k (unbiased
// estimator) at each temperature in eval.temperatures, the verdict mix and sample diversity.
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "model/inference.h"
#include "sandbox/pool.h"
#include "trainer/sft.h"
#include "trainer/sft_eval.h"
#include "util/progress.h"

namespace stepcoder::app {
namespace {

struct EvalArgs {
  std::string config, checkpoint, split;
  std::vector<std::string> sets;
  int n = 0, problems = -1;
  std::vector<double> temperatures;
  bool json = false;
};

void eval_verb(const EvalArgs& a) {
  trainer::SftRunConfig cfg;
  ConfigSchema schema = trainer::sft_run_schema(cfg);
  if (Status st = trainer::load_run_config(a.config, schema); !st) return fail(st.error());
  for (const std::string& s : a.sets)
    if (Status st = schema.set(s); !st) return fail(st.error());
  if (!a.split.empty()) cfg.eval.split = a.split;
  if (a.n > 0) cfg.eval.n = a.n;
  if (a.problems >= 0) cfg.eval.problems = a.problems;
  if (!a.temperatures.empty()) cfg.eval.temperatures = a.temperatures;
  auto problems = trainer::load_split(cfg.sft, cfg.eval.split);
  if (!problems) return fail(problems.error());
  trainer::keep_evenly_spaced(*problems, cfg.eval.problems);
  std::string path = a.checkpoint.empty() ? cfg.sft.run_dir + "/checkpoints/best.pt" : a.checkpoint;
  auto m = model::InferenceModel::load(path, cfg.model.device, cfg.model.threads);
  if (!m) return fail(m.error());
  auto judge = sandbox::SandboxJudge::create(cfg.sandbox);
  if (!judge) return fail(judge.error());
  sandbox::JudgePool pool(**judge, cfg.sandbox.workers);
  trainer::SampleFn sample = [&](const std::vector<std::string>& prompts, const model::SamplingConfig& sc) {
    return (*m)->generate(prompts, sc);
  };
  Progress bar("eval", 0, !a.json);
  auto report = trainer::evaluate_pass_at_k(*problems, sample, pool, cfg.sampling, cfg.eval,
                                            [&](size_t done, size_t) { bar.update(static_cast<int64_t>(done)); });
  bar.finish();
  if (!report) return fail(report.error(), 1);
  if (a.json) {
    Json j = trainer::report_json(*report);
    j["checkpoint"] = path, j["split"] = cfg.eval.split;
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("%s on %s: %s", path.c_str(), cfg.eval.split.c_str(), trainer::report_text(*report).c_str());
  }
}

STEPCODER_VERB(50, [](CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval", "pass@1 / pass@k of a checkpoint in the judge");
  cmd->add_option("config", a->config, "YAML config (sft files, eval, sampling, sandbox)")->required();
  cmd->add_option("--checkpoint", a->checkpoint, "checkpoint (default: RUN_DIR/checkpoints/best.pt)");
  cmd->add_option("--split", a->split, "train, valid or test (default: eval.split)")
      ->check(CLI::IsMember({"train", "valid", "test"}));
  cmd->add_option("-n", a->n, "samples per problem at temperatures > 0 (default: eval.n)");
  cmd->add_option("--temperatures", a->temperatures, "temperatures, e.g. --temperatures 0 0.8")->expected(1, 16);
  cmd->add_option("--problems", a->problems, "evaluate N problems spread evenly over the split (0 = all)");
  cmd->add_option("--set", a->sets, "override a config key, e.g. eval.n=20");
  cmd->add_flag("--json", a->json, "print one JSON object");
  cmd->callback([a] { eval_verb(*a); });
});

}  // namespace
}  // namespace stepcoder::app
