// `stepcoder sft CONFIG [--set KEY=VALUE]... [--resume] [--json]`: supervised fine-tuning on
// problem -> reference pairs (trainer/sft.h). Writes the resolved config, tokenizer,
// checkpoints and metrics.jsonl into sft.run_dir.
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "run/layout.h"
#include "trainer/sft.h"
#include "util/files.h"

namespace stepcoder::app {
namespace {

struct SftArgs {
  std::string config;
  std::vector<std::string> sets;
  bool resume = false, json = false;
};

void sft_verb(const SftArgs& a) {
  run::SftRunConfig cfg;
  ConfigSchema schema = run::sft_run_schema(cfg);
  if (Status st = run::load_run_config(a.config, schema); !st) return fail(st.error());
  for (const std::string& s : a.sets)
    if (Status st = schema.set(s); !st) return fail(st.error());
  if (Status st = make_dirs(cfg.sft.run_dir); !st) return fail(st.error());
  if (Status st = write_file_atomic(run::RunLayout(cfg.sft.run_dir).config(), schema.dump_yaml()); !st) return fail(st.error());
  trainer::SftOptions opts;
  opts.resume = a.resume;
  if (a.json) opts.on_metrics = [](const Json& j) { std::printf("%s\n", j.dump().c_str()), std::fflush(stdout); };
  auto s = trainer::run_sft(cfg, opts);
  if (!s) return fail(s.error(), 1);
  if (a.json) return;
  std::printf("%lld steps in %.0f s (%.0f tokens/s, %.1fM parameters, matmul %.0f GFLOP/s)\n",
              static_cast<long long>(s->steps), s->seconds, s->tokens_per_s, s->parameters / 1e6, s->matmul_gflops);
  std::printf("best validation pass@1 %.1f%% at step %lld (%.0f s): %s\n", 100 * s->best_valid_pass1,
              static_cast<long long>(s->best_step), s->best_seconds, s->best_checkpoint.c_str());
}

}  // namespace

void add_sft_verb(CLI::App& app) {
  auto a = std::make_shared<SftArgs>();
  CLI::App* cmd = app.add_subcommand("sft", "Supervised fine-tuning on problem -> reference solution pairs");
  cmd->add_option("config", a->config, "YAML config (model, sft, sampling, sandbox sections)")->required();
  cmd->add_option("--set", a->sets, "override a config key, e.g. sft.steps=200");
  cmd->add_flag("--resume", a->resume, "continue from RUN_DIR/checkpoints/last.pt");
  cmd->add_flag("--json", a->json, "print each metrics line as JSON on stdout");
  cmd->callback([a] { sft_verb(*a); });
}

}  // namespace stepcoder::app
