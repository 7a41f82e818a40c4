// `stepcoder train CONFIG [--set KEY=VALUE]... [--resume] [--json] [--replay-curriculum RUN_DIR]`:
// PPO with FGO from an SFT checkpoint (trainer/ppo_train.h). Bad input (config keys, data, the
// starting checkpoint, the judge, the resume state) exits with 2 before any step runs.
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "trainer/ppo_train.h"

namespace stepcoder::app {
namespace {

struct TrainArgs {
  std::string config, replay;
  std::vector<std::string> sets;
  bool resume = false, json = false;
};

void train_verb(const TrainArgs& a) {
  run::TrainRunConfig cfg;
  ConfigSchema schema = run::train_run_schema(cfg);
  if (Status st = run::load_train_config(a.config, schema); !st) return fail(st.error());
  for (const std::string& s : a.sets)
    if (Status st = schema.set(s); !st) return fail(st.error());
  trainer::TrainOptions opts;
  opts.resume = a.resume, opts.replay_run_dir = a.replay;
  if (a.json) opts.on_metrics = [](const Json& j) { std::printf("%s\n", j.dump().c_str()), std::fflush(stdout); };
  auto trainer = trainer::PpoTrainer::create(cfg, opts);
  if (!trainer) return fail(a.config + ": " + trainer.error(), 2);
  auto s = (*trainer)->train();
  if (!s) return fail(s.error(), 1);
  if (a.json) return;
  std::printf("%lld steps (%lld this run) in %.0f s; last step reward %.3f, pass rate %.1f%%", static_cast<long long>(s->steps),
              static_cast<long long>(s->steps - s->first_step), s->seconds, s->last_reward, 100 * s->last_pass_rate);
  if (s->last_eval_pass1 >= 0) std::printf("; held-out pass@1 %.1f%%", 100 * s->last_eval_pass1);
  std::printf("\n%lld episodes stored; checkpoint %s\n", static_cast<long long>(s->episodes), s->last_checkpoint.c_str());
}

}  // namespace

void add_train_verb(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand("train", "PPO with fine-grained optimization from an SFT checkpoint");
  cmd->add_option("config", a->config, "YAML config (train, ppo, curriculum, model, sampling, sandbox sections)")
      ->required();
  cmd->add_option("--set", a->sets, "override a config key, e.g. train.steps=50");
  cmd->add_flag("--resume", a->resume, "continue exactly from RUN_DIR/checkpoints/last.pt");
  cmd->add_flag("--json", a->json, "print each metrics line as JSON on stdout");
  cmd->add_option("--replay-curriculum", a->replay,
                  "draw the (problem, stage) schedule recorded in RUN_DIR/episodes.sqlite");
  cmd->footer("Writes RUN_DIR/{config.yaml, metrics.jsonl, episodes.sqlite, checkpoints/}; see trainer/TRAINING.md.");
  cmd->callback([a] { train_verb(*a); });
}

}  // namespace stepcoder::app
