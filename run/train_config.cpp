// PPO stage configuration: key declarations and loading (see train_config.h).
#include "run/train_config.h"

namespace stepcoder::run {

void describe(TrainConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".run_dir", &c.run_dir, "run directory: config, checkpoints, episodes.sqlite, metrics.jsonl");
  s.add(p + ".init", &c.init, "SFT checkpoint or Hugging Face model directory to start from (policy and KL reference)");
  s.add(p + ".run_sft_first", &c.run_sft_first, "run the sft stage of this config first and start from its best.pt");
  s.add(p + ".steps", &c.steps, "PPO steps; 0 = none (the init checkpoint becomes last.pt: an SFT-only ablation arm)").range(0, 1e9);
  s.add(p + ".save_every", &c.save_every, "steps between checkpoints (also written at the end)").range(1, 1e9);
  s.add(p + ".eval_every", &c.eval_every, "steps between held-out greedy pass@1 (also before the first step and at the end); 0 = never").range(0, 1e9);
  s.add(p + ".eval_problems", &c.eval_problems, "problems of eval_split judged for pass@1; 0 = all").range(0, 1e7);
  s.add(p + ".eval_split", &c.eval_split, "held-out split for pass@1 (valid: the validation file without sft.select_problems' subset)").choices({"valid", "test"});
  s.add(p + ".seed", &c.seed, "seed of sampling, minibatch order and problem order").range(0, 9e18);
  s.add(p + ".time_limit_s", &c.time_limit_s, "a guard: stop early, with a checkpoint and a warning, after this many seconds; 0 = no limit (the run is bounded by steps)").range(0, 1e9);
  s.add(p + ".log_every", &c.log_every, "steps between ppo lines of metrics.jsonl").range(1, 1e9);
  s.add(p + ".judge_workers", &c.judge_workers, "judging threads that run beside sampling; 0 = sandbox.workers (0 there = one per core)").range(0, 1024);
}

ConfigSchema train_run_schema(TrainRunConfig& c) {
  ConfigSchema s = sft_run_schema(c);
  describe(c.ppo, s, "ppo");
  describe(c.curriculum, s, "curriculum");
  describe(c.train, s, "train");
  return s;
}

Status load_train_config(const std::string& path, ConfigSchema& schema) {
  return load_run_config(path, schema, {"ppo", "curriculum", "train"});
}

}  // namespace stepcoder::run
