// Configuration of the PPO stage (`stepcoder train CONFIG`): the `train:` section (run
// directory, where the policy starts, steps, checkpoints, evaluation) and the schema of a whole
// training config, a superset of the SFT schema, so one YAML file serves sft, train and eval.
// Plain structs, no LibTorch.
//
//   TrainRunConfig cfg;
//   ConfigSchema schema = train_run_schema(cfg);     // model, sampling, sft, eval, sandbox,
//                                                    // ppo, curriculum, train
//   if (Status st = load_train_config("run.yaml", schema); !st) die(st.error());
#pragma once

#include <cstdint>
#include <string>

#include "run/curriculum_config.h"
#include "run/ppo_config.h"
#include "run/sft_config.h"
#include "util/config.h"

namespace stepcoder::run {

struct TrainConfig {
  std::string run_dir = "runs/train";
  std::string init;             // SFT checkpoint the policy (and the KL reference) start from
  bool run_sft_first = false;   // run this config's SFT stage, then start from its best.pt
  int64_t steps = 200;          // PPO steps (one rollout and one update each)
  int64_t save_every = 50;      // steps between checkpoints (and always at the end)
  int64_t eval_every = 0;       // steps between held-out greedy pass@1; 0 = never
  int eval_problems = 64;       // problems of eval_split judged then; 0 = all
  std::string eval_split = "valid";
  int64_t seed = 1;             // sampling, minibatch order and the problem order
  double time_limit_s = 0;      // a guard: stop early (checkpoint, warning) after this many seconds; 0 = none
  int64_t log_every = 1;        // steps between `ppo` lines of metrics.jsonl
  int judge_workers = 0;        // judging threads beside sampling; 0 = sandbox.workers
};

void describe(TrainConfig& c, ConfigSchema& schema, const std::string& prefix = "train");

// Everything `stepcoder train` reads from a config file.
struct TrainRunConfig : SftRunConfig {
  PpoConfig ppo;
  CurriculumConfig curriculum;
  TrainConfig train;

  // The SFT part, for `run_sft_first`.
  const SftRunConfig& sft_part() const { return *this; }
};

ConfigSchema train_run_schema(TrainRunConfig& cfg);

// Loads `path` like load_run_config, keeping the ppo, curriculum and train sections.
Status load_train_config(const std::string& path, ConfigSchema& schema);

}  // namespace stepcoder::run
