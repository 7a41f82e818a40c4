// The state one PPO run shares between its start-up (ppo_train_setup.cpp) and its loop
// (ppo_train.cpp). Private to those two files: it pulls in LibTorch.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "run/episode_store.h"
#include "curriculum/source.h"
#include "model/tokenizer.h"
#include "model/transformer.h"
#include "sandbox/judge.h"
#include "sandbox/pool.h"
#include "trainer/ppo_train.h"
#include "trainer/rewards.h"
#include "run/metrics_log.h"
#include "trainer/sft_data.h"
#include "util/progress.h"

namespace stepcoder::trainer {

struct PpoTrainer::Impl {
  Impl(const run::TrainRunConfig& c, const TrainOptions& o) : cfg(c), opts(o), kl(c.ppo.rewards) {}

  // Start-up (ppo_train_setup.cpp).
  Status setup();
  Status load_data();
  Status start_judge();
  Status load_start(const std::string& init);  // fresh run: policy and reference from `init`
  Status save_reference();
  void attach_policy(model::Transformer m);
  Status resume();
  Status open_outputs();
  Status run_sft_first();

  // The loop (ppo_train.cpp).
  Expected<TrainSummary> train();
  Expected<bool> step_once(Progress& bar);  // false when the source has nothing more to give
  Expected<const SftData*> supervised_data();  // ppo.sft_coef's examples; nullptr when off
  Status evaluate();
  Status save();
  Status log(Json line);
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  run::TrainRunConfig cfg;
  TrainOptions opts;
  torch::Device dev{torch::kCPU};
  std::shared_ptr<model::Tokenizer> tok;
  model::Transformer policy{nullptr}, reference{nullptr};
  std::unique_ptr<torch::optim::AdamW> opt;
  KlController kl;
  RewardChain chain;
  std::unique_ptr<sandbox::Judge> own_judge;
  sandbox::Judge* judge = nullptr;
  std::unique_ptr<sandbox::JudgePool> eval_pool;
  std::vector<tasks::Problem> train_problems, eval_problems;
  std::unique_ptr<SftData> sft_data;  // built on first use, after the tokenizer is known
  std::unique_ptr<curriculum::ProblemSource> source;
  std::unique_ptr<run::EpisodeStore> store;
  run::MetricsLog metrics;
  std::string init;        // checkpoint the run started from
  bool model_ready = false;
  int64_t step = 0, first_step = 0, tokens = 0;
  double seconds_before = 0;  // training time of earlier invocations
  double last_reward = 0, last_pass_rate = 0, last_eval = -1;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

}  // namespace stepcoder::trainer
