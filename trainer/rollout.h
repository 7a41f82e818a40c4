// Rollouts: sample K completions per problem, judge each program (with coverage when FGO is
// on), score the sequences under the policy and the reference, shape rewards, and lay it all
// out as per-token tensors for the PPO update. The judge is an interface, so tests fake it.
// Sampling goes in chunks of sampling.batch_size; each finished chunk is judged on
// `judge_workers` threads while the next chunk is sampled, so judge() (and the coverage
// instrumenter) run concurrently; results are kept in index order, so they do not depend on
// which program finished first.
//
//   RolloutContext ctx{policy, reference, tok, judge, chain};
//   auto r = collect_rollout(ctx, problems, ppo_cfg, sampling_cfg);
//   if (!r) return Error("step 12: " + r.error());
//   prepare_advantages(r->batch, ppo_cfg);
//   kl.update(r->stats.mean_kl, r->stats.completions);
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/sampling.h"
#include "model/tokenizer.h"
#include "model/transformer.h"
#include "run/episode.h"
#include "sandbox/judge.h"
#include "tasks/problem.h"
#include "run/ppo_config.h"
#include "trainer/ppo_loss.h"
#include "trainer/rewards.h"
#include "util/expected.h"

namespace stepcoder::trainer {

struct RolloutContext {
  model::Transformer& policy;
  model::Transformer& reference;  // KL reference (frozen)
  const model::Tokenizer& tok;
  sandbox::Judge& judge;
  RewardChain& rewards;
  int judge_workers = 2;  // threads judging beside sampling (<= 0: one per core); judge() must be thread-safe
};

// One judged completion, for logging and the episode store.
struct Episode {
  int problem = 0;  // index into the problems of the rollout
  std::string completion;
  sandbox::Verdict verdict = sandbox::Verdict::CompileError;
  double pass_ratio = 0;
  int tokens = 0;
  double reward = 0;         // summed over tokens, rewards and shaping, KL reward included
  double task_reward = 0;    // the same without the KL term (run::task_reward)
  double kl = 0;             // summed log p - log p_ref
  double kept_fraction = 1;  // tokens in the FGO mask
  bool coverage = false;     // whether a coverage map came back
  std::string message;       // the judge's one-line reason
  sandbox::Isolation isolation = sandbox::Isolation::Judge;  // where the tests ran
  std::vector<uint8_t> mask;    // FGO mask, one per token
  std::vector<int> token_ends;  // end byte offset of each token in `completion`
  std::string lines;            // per program line: '.', '+', '-', '!' (see run/episode.h)
};

struct RolloutStats {
  int prompts = 0, completions = 0;
  double pass_rate = 0;            // share of completions that passed
  double mean_reward = 0;          // per completion
  double mixed_verdict_share = 0;  // prompts whose K samples did not all get the same verdict
  double mean_kl = 0;              // per completion
  double kept_fraction = 1;        // FGO-kept share of completion tokens
  double coverage_share = 0;       // completions judged with a coverage map
  std::array<int, sandbox::kVerdictCount> verdicts{};  // counts by sandbox::Verdict
  std::map<std::string, double> reward_terms;          // mean per completion, by term
  int64_t tokens = 0;  // completion tokens sampled
  // Seconds: sampling; judging from the first chunk handed over to the last verdict (it
  // overlaps sampling); the part of it after sampling ended (what overlap could not hide);
  // judge() time summed over programs; scoring and reward shaping.
  double sample_s = 0, judge_s = 0, judge_wait_s = 0, judge_busy_s = 0, score_s = 0;
};

struct Rollout {
  PpoBatch batch;  // advantages not yet prepared
  std::vector<Episode> episodes;  // row i of the batch
  RolloutStats stats;
};

// Log-probabilities are taken at the sampling temperature (1 when greedy). Chunk c of the
// sampling is seeded from (sc.seed, c); chunk 0 with sc.seed itself.
double scoring_temperature(const model::SamplingConfig& sc);

Expected<Rollout> collect_rollout(RolloutContext& ctx, const std::vector<tasks::Problem>& problems,
                                  const run::PpoConfig& c, const model::SamplingConfig& sc);

// ppo.fgo_random: shuffles each completion's mask (the same number of tokens kept, at random
// places), from `seed` and the row.
void randomize_masks(std::vector<run::JudgedEpisode>& judged, uint64_t seed);

// Share of prompts whose samples got more than one distinct verdict; `groups` holds each
// prompt's verdicts.
double mixed_verdict_share(const std::vector<std::vector<sandbox::Verdict>>& groups);

}  // namespace stepcoder::trainer
