// A training run directory written by hand for the report tests, so they do not depend on the
// trainer: config.yaml, metrics.jsonl (SFT lines, 7 PPO steps, 3 held-out evaluations),
// episodes.sqlite (4 episodes a step, one with markup in its completion) and eval.json.
#pragma once

#include <string>
#include <vector>

#include "run/episode_store.h"
#include "util/files.h"
#include "util/jsonl.h"

namespace stepcoder::testing {

constexpr int kFixtureSteps = 7;
constexpr int kFixtureEpisodesPerStep = 4;
inline const std::vector<std::string> kFixtureVerdicts = {"passed", "failed", "compile_error", "timeout"};

inline Json fixture_ppo_line(int step) {
  const double s = step;
  return {{"kind", "ppo"}, {"step", step}, {"seconds", 10 * s}, {"reward", -0.8 + 0.2 * s},
          {"task_reward", -0.7 + 0.2 * s}, {"pass_rate", 0.1 * s},
          {"verdicts", {{"passed", step}, {"failed", 4}, {"compile_error", 8 - step}, {"timeout", 1}}},
          {"kl", 0.01 * s}, {"kl_coef", 0.05}, {"entropy", 1.5 - 0.1 * s}, {"clip_fraction", 0.02 * s},
          {"approx_kl", 0.001 * s}, {"policy_loss", 0.1 / s}, {"value_loss", 1.0 / s},
          {"kept_fraction", 0.9 - 0.02 * s}, {"mixed_verdict_share", 0.5}, {"coverage_share", 0.6},
          {"tokens_per_s", 1000 + 10 * s},
          {"time", {{"sample", 2.0}, {"judge", 3.0 + 0.1 * s}, {"update", 1.0}, {"judge_busy", 2.5}, {"step", 5.5}}},
          {"curriculum", {{"stage_hist", {{"1", 8 - step}, {"2", 4}, {"3", step}}},
                          {"pass_rate_by_stage", {{"1", 0.5}, {"2", 0.3}, {"3", 0.05 * s}}},
                          {"advances", step / 2}}}};
}

inline std::string fixture_metrics() {
  std::vector<Json> lines;
  for (int s : {10, 20, 30}) lines.push_back({{"kind", "train"}, {"step", s}, {"loss", 3.0 - s / 15.0}, {"lr", 1e-3}});
  lines.push_back({{"kind", "eval"}, {"step", 30}, {"valid_loss", 1.3}, {"valid_pass1", 0.25}});
  for (int s = 1; s <= kFixtureSteps; ++s) {
    lines.push_back(fixture_ppo_line(s));
    if (s == 3 || s == 6) lines.push_back({{"kind", "eval"}, {"step", s}, {"split", "valid"}, {"pass1", 0.1 * s}});
  }
  lines.push_back({{"kind", "eval"}, {"step", kFixtureSteps}, {"split", "test"}, {"pass1", 0.45},
                   {"verdicts", {{"passed", 9}, {"failed", 11}}}});
  return to_jsonl(lines);
}

// Program = prompt (2 lines) + completion (3 lines); the marks cover all 5 lines.
inline run::EpisodeRow fixture_episode(int step, int index) {
  run::EpisodeRow r;
  r.step = step, r.index = index, r.task_id = "sum/" + std::to_string(index);
  r.stage = 1 + index % 3, r.stages = 3;
  r.prompt = "// add two numbers\nint add(int a, int b) {\n";
  r.completion = index == 1 ? "  // <script>alert('x')</script>\n  if (a < 0) return 0;\n  return a + b;\n}\n"
                            : "  int s = a + b;\n  if (s < 0) return 0;\n  return s;\n}\n";
  r.verdict = kFixtureVerdicts[index % kFixtureVerdicts.size()];
  r.reward = r.verdict == "passed" ? 1.0 : -0.3, r.task_reward = r.reward;
  r.pass_ratio = r.verdict == "passed" ? 1 : 0.5, r.tokens = 12;
  r.lines = r.verdict == "compile_error" ? "..!..." : ".+--++";
  r.message = r.verdict == "passed" ? "" : "check failed: add(1, 2) == 3 & <more>";
  return r;
}

// Writes the whole run directory into `dir` (which must exist).
inline Status write_fixture_run(const std::string& dir) {
  if (Status st = write_file_atomic(dir + "/config.yaml", "model:\n  dim: 32\ntrain:\n  run_dir: \"<b>runs/x</b>\"\n  steps: 7\n"); !st)
    return st;
  if (Status st = write_file_atomic(dir + "/metrics.jsonl", fixture_metrics()); !st) return st;
  Json eval = {{"checkpoint", dir + "/checkpoints/last.pt"}, {"split", "test"}, {"problems", 3}, {"seconds", 1.5},
               {"results", {{{"temperature", 0}, {"samples_per_problem", 1}, {"pass@1", 1.0 / 3},
                             {"verdicts", {{"passed", 1}, {"failed", 2}}}}}}};
  if (Status st = write_file_atomic(dir + "/eval.json", eval.dump() + "\n"); !st) return st;
  auto store = run::EpisodeStore::open(dir + "/episodes.sqlite");
  if (!store) return Error(store.error());
  for (int s = 1; s <= kFixtureSteps; ++s) {
    std::vector<run::EpisodeRow> rows;
    for (int i = 0; i < kFixtureEpisodesPerStep; ++i) rows.push_back(fixture_episode(s, i));
    if (Status st = (*store)->append(rows); !st) return st;
  }
  return {};
}

}  // namespace stepcoder::testing
