// Configuration of supervised fine-tuning (`stepcoder sft`) and of pass@k evaluation
// (`stepcoder eval`): plain structs and their schema declarations, no LibTorch.
//
//   SftRunConfig cfg;
//   ConfigSchema schema = sft_run_schema(cfg);      // model, sft, sampling, eval, sandbox
//   if (Status st = load_run_config("configs/quickstart.yaml", schema); !st) die(st.error());
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/config.h"
#include "sandbox/config.h"
#include "util/config.h"

namespace stepcoder::run {

struct SftConfig {
  std::string train_file = "examples/suite/train.jsonl";
  std::string valid_file = "examples/suite/valid.jsonl";
  std::string test_file = "examples/suite/test.jsonl";
  std::string run_dir = "runs/sft";
  int64_t steps = 1500;
  int batch_size = 16;
  double lr = 2e-3;
  double min_lr_ratio = 0.1;   // cosine decays to lr * this
  int64_t warmup_steps = 100;
  double weight_decay = 0.1;
  double grad_clip = 1.0;
  int64_t eval_every = 500;    // validation loss and pass@1; 0 = only at the end
  // The selection subset: validation problems, spread evenly over the split, that choose
  // best.pt and nothing else. The split "valid" of every report is the rest (0 = no subset:
  // best.pt is chosen on the whole split, which the reports then share).
  int select_problems = 64;
  int eval_problems = 0;       // of those, judged at each evaluation (0 = all)
  int val_batches = 8;         // batches of validation loss
  int64_t log_every = 25;
  // A guard, not a budget: the run is bounded by `steps`, so every machine trains the same
  // model; hitting this stops it early with a warning (0 = no limit).
  double time_limit_s = 0;
  int tokenizer_vocab = 1024;  // when model.tokenizer is empty: train one of this size
  bool tokenizer_split_underscore = true;
};

struct EvalConfig {
  std::string split = "test";           // train, select, valid or test (files from sft.*_file)
  int n = 10;                           // samples per problem at temperatures > 0
  std::vector<double> temperatures{0.0, 0.4, 0.8};
  std::vector<double> k{1, 5, 10};      // pass@k reported for each k <= n
  int problems = 0;                     // 0 = all
};

void describe(SftConfig& c, ConfigSchema& schema, const std::string& prefix = "sft");
void describe(EvalConfig& c, ConfigSchema& schema, const std::string& prefix = "eval");

// Everything `stepcoder sft` and `stepcoder eval` read from a config file.
struct SftRunConfig {
  model::ModelConfig model;
  model::SamplingConfig sampling;
  SftConfig sft;
  EvalConfig eval;
  sandbox::SandboxConfig sandbox;
};

ConfigSchema sft_run_schema(SftRunConfig& cfg);

// Loads `path` into `schema`; top-level sections that belong to other stages of the project
// (ppo, curriculum, train, coverage, rewards, ...) are skipped, so one config file serves every
// verb; a stage that owns some of them names them in `keep`.
Status load_run_config(const std::string& path, ConfigSchema& schema, const std::vector<std::string>& keep = {});

}  // namespace stepcoder::run
