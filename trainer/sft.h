// Supervised fine-tuning (`stepcoder sft CONFIG`): trains the policy on problem -> canonical
// solution pairs (loss on solution tokens only) with AdamW, warmup + cosine learning rate,
// gradient clipping, validation loss and pass@1 in the judge every N steps, checkpoints
// (best by validation pass@1, and last) and metrics.jsonl in the run directory.
// No LibTorch in this header.
//
//   run::SftRunConfig cfg;  ... load configs/quickstart.yaml ...
//   auto summary = run_sft(cfg, SftOptions{});
//   if (!summary) die(summary.error());
//   printf("best valid pass@1 %.1f%% at step %lld\n", 100 * summary->best_valid_pass1, ...);
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sandbox/judge.h"
#include "tasks/problem.h"
#include "run/sft_config.h"
#include "util/jsonl.h"

namespace stepcoder::trainer {

struct SftOptions {
  bool resume = false;    // continue from run_dir/checkpoints/last.pt
  bool progress = true;   // progress bar on stderr (when it is a terminal)
  std::function<void(const Json&)> on_metrics;  // each metrics line as it is written
  sandbox::Judge* judge = nullptr;  // judges pass@1; null = a SandboxJudge from cfg.sandbox
};

struct SftSummary {
  int64_t steps = 0;
  double seconds = 0;
  double tokens_per_s = 0;
  double best_valid_pass1 = -1;  // -1 when never evaluated
  int64_t best_step = 0;
  double best_seconds = 0;       // wall time at which the best pass@1 was reached
  double final_valid_loss = 0;
  int64_t parameters = 0;
  double matmul_gflops = 0;
  std::string best_checkpoint, last_checkpoint;
  bool time_limited = false;     // sft.time_limit_s stopped the run before sft.steps
};

Expected<SftSummary> run_sft(const run::SftRunConfig& cfg, const SftOptions& opts);

// The problems of a split named in cfg.sft: "train", "test", "select" (cfg.select_problems of
// the validation file, spread evenly: what chooses best.pt) or "valid" (the rest of it, which
// every report of the validation split reads, so no figure is measured on what chose it).
Expected<std::vector<tasks::Problem>> load_split(const run::SftConfig& cfg, const std::string& split);

Json summary_json(const SftSummary& s);

}  // namespace stepcoder::trainer
