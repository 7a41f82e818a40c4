// The PPO stage (`stepcoder train CONFIG`): from an SFT checkpoint, each step draws problems
// from the curriculum's source, samples K completions per problem, judges them (with coverage
// for FGO), shapes rewards, takes a clipped PPO update, and writes the run directory:
//
//   RUN_DIR/config.yaml              resolved config
//   RUN_DIR/metrics.jsonl            {"kind":"ppo",...} per step, {"kind":"eval",...}, summary
//   RUN_DIR/episodes.sqlite          every judged completion (run::EpisodeStore)
//   RUN_DIR/checkpoints/step-N.pt    every save_every steps and at the end, and last.pt
//   RUN_DIR/checkpoints/reference.pt the starting policy (KL reference) for --resume
//
// A resumed run ends with the same model, episodes and metrics as an uninterrupted one (see
// trainer/TRAINING.md). No LibTorch in this header.
//
//   auto trainer = PpoTrainer::create(cfg, TrainOptions{});   // all start-up checks
//   if (!trainer) die(trainer.error(), /*exit=*/2);            // bad input: nothing trained
//   auto summary = (*trainer)->train();
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sandbox/judge.h"
#include "run/train_config.h"
#include "util/jsonl.h"

namespace stepcoder::trainer {

struct TrainOptions {
  bool resume = false;           // continue from RUN_DIR/checkpoints/last.pt
  bool progress = true;          // progress bar on stderr (when it is a terminal)
  std::string replay_run_dir;    // draw the (problem, stage) schedule of that run's episodes
  std::function<void(const Json&)> on_metrics;  // each metrics line as it is written
  sandbox::Judge* judge = nullptr;  // null = a SandboxJudge from cfg.sandbox, probed at start-up
};

struct TrainSummary {
  int64_t first_step = 0;  // steps done before this invocation (resume)
  int64_t steps = 0;       // steps done in all
  double seconds = 0;      // training time, earlier invocations included
  double last_reward = 0, last_pass_rate = 0;
  double last_eval_pass1 = -1;  // -1 when never evaluated
  int64_t episodes = 0;         // rows in episodes.sqlite
  std::string last_checkpoint;
  bool time_limited = false;    // train.time_limit_s stopped the run before train.steps
};

class PpoTrainer {
 public:
  // Everything that can be checked before the first step: data, curriculum, judge (one tiny
  // known-good program), init checkpoint and its shape, the resume state. Errors here mean
  // bad input.
  static Expected<std::unique_ptr<PpoTrainer>> create(const run::TrainRunConfig& cfg, const TrainOptions& opts);
  ~PpoTrainer();
  Expected<TrainSummary> train();

  struct Impl;

 private:
  explicit PpoTrainer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

Json summary_json(const TrainSummary& s);

}  // namespace stepcoder::trainer
