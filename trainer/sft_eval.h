// pass@k evaluation in the judge: sample n completions per problem at each temperature,
// judge them in parallel, and report pass@1 / pass@k (the unbiased estimator of Chen et al.
// 2021), the verdict mix and how diverse the samples are. No LibTorch: the sampler is a
// function, so `stepcoder eval` and the SFT loop share this code.
//
//   SampleFn sample = [&](const std::vector<std::string>& prompts, const SamplingConfig& sc) {
//     return model.generate(prompts, sc);            // InferenceModel or the training model
//   };
//   auto report = evaluate_pass_at_k(problems, sample, pool, sampling, eval_cfg);
//   printf("%s\n", report_json(*report).dump().c_str());
#pragma once

#include <array>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/inference.h"
#include "sandbox/pool.h"
#include "tasks/problem.h"
#include "run/sft_config.h"
#include "util/jsonl.h"

namespace stepcoder::trainer {

// 1 - C(n-c, k) / C(n, k), computed as a stable product; n samples, c correct.
double pass_at_k(int n, int c, int k);

using SampleFn = std::function<Expected<std::vector<model::Sample>>(
    const std::vector<std::string>& prompts, const model::SamplingConfig& cfg)>;

struct TemperatureResult {
  double temperature = 0;
  int samples_per_problem = 0;
  std::map<int, double> pass_at_k;                   // k -> mean over problems
  std::array<int, sandbox::kVerdictCount> verdicts{};  // counts over all samples
  double distinct = 0;     // mean share of distinct completions among a problem's samples
  double mean_tokens = 0;  // completion length
  std::vector<int> correct;  // per problem (EvalReport::task_ids order): samples that passed
};

struct EvalReport {
  int problems = 0;
  std::vector<std::string> task_ids;  // the problems, in evaluation order
  std::vector<TemperatureResult> results;
  double seconds = 0;
};

// Greedy (temperature 0) takes one sample per problem; other temperatures take cfg.n.
// `progress` (optional) gets (done, total) judged samples.
Expected<EvalReport> evaluate_pass_at_k(const std::vector<tasks::Problem>& problems, const SampleFn& sample,
                                        sandbox::JudgePool& pool, const model::SamplingConfig& sampling,
                                        const run::EvalConfig& cfg,
                                        const std::function<void(size_t, size_t)>& progress = {});

Json report_json(const EvalReport& r);

// Keeps n problems spread evenly over the list (0 or n >= size: all), so a subset of a split
// ordered by family still samples every family and held-out kind.
void keep_evenly_spaced(std::vector<tasks::Problem>& problems, int n);
// The problems keep_evenly_spaced(n) would keep, and the others (0: none kept; n >= size: all).
std::pair<std::vector<tasks::Problem>, std::vector<tasks::Problem>> split_evenly(std::vector<tasks::Problem> problems,
                                                                                 int n);
// A few lines for humans: one per temperature.
std::string report_text(const EvalReport& r);

}  // namespace stepcoder::trainer
