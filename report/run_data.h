// What the run report reads from a training run directory: the resolved config, the lines of
// metrics.jsonl sorted by kind, evaluation files (eval*.json, as `stepcoder eval --json`
// prints them) and a sample of episodes from episodes.sqlite. A missing piece is a note, not
// an error; a corrupt metrics line or eval file is an error naming the file and line.
//
//   auto run = load_run("runs/quickstart");
//   if (!run) die(run.error());           // "runs/quickstart/metrics.jsonl:17: parse error ..."
//   for (const std::string& n : run->notes) puts(n.c_str());   // "no episodes.sqlite ..."
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "run/episode_store.h"
#include "util/expected.h"
#include "util/jsonl.h"

namespace stepcoder::report {

struct GalleryOptions {
  int last_step = 12;    // episodes of the last step shown
  int per_verdict = 3;   // recent episodes of each verdict shown besides
  int64_t lookback = 500;  // steps searched back for them
};

// A titled group of episodes in the gallery ("Last step (120)", "Recent: compile_error").
struct EpisodeGroup {
  std::string title;
  std::vector<run::EpisodeRow> episodes;
};

struct EvalFile {
  std::string name;  // file name within the run directory
  Json value;
};

struct RunData {
  std::string dir;
  std::string config_yaml;  // empty when config.yaml is absent
  std::vector<Json> ppo, eval, sft_train, sft_eval, summaries;  // metrics.jsonl by kind
  std::vector<EvalFile> eval_files;
  std::vector<EpisodeGroup> gallery;
  int64_t episodes = -1;    // rows in episodes.sqlite; -1 when there is none
  std::vector<std::string> notes;  // missing pieces, for the page
};

Expected<RunData> load_run(const std::string& dir, const GalleryOptions& gallery = {});

// Splits metrics lines by kind. Lines of the SFT stage are told apart from the PPO stage's by
// their fields: SFT `eval` lines carry valid_loss / valid_pass1, PPO ones pass1 and split.
void sort_metrics(const std::vector<JsonlRow>& rows, RunData* run);

// The gallery groups from episodes already read (any order): the last step's first
// `last_step`, then per verdict the `per_verdict` most recent not shown yet.
std::vector<EpisodeGroup> pick_gallery(const std::vector<run::EpisodeRow>& rows,
                                       const GalleryOptions& o);

}  // namespace stepcoder::report
