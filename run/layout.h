// The files of a run directory, named in one place. `stepcoder train` and `stepcoder sft`
// write them; report, replay, eval and ablate read them.
//
//   RunLayout run("runs/quickstart");
//   run.config();          // runs/quickstart/config.yaml: the run's config with every default
//   run.metrics();         // metrics.jsonl: one JSON object a line (kind ppo, eval, train, ...)
//   run.episodes();        // episodes.sqlite: every judged completion (curriculum/episode_store.h)
//   run.checkpoint("last");     // checkpoints/last.pt (also best, reference)
//   run.step_checkpoint(12);    // checkpoints/step-12.pt
//   if (!run.exists()) ...      // none of config.yaml, metrics.jsonl, episodes.sqlite is there
#pragma once

#include <cstdint>
#include <string>

#include "util/files.h"

namespace stepcoder::run {

struct RunLayout {
  // A trailing slash is dropped, so paths read "runs/x/config.yaml" however the user typed it.
  explicit RunLayout(std::string run_dir) : dir(std::move(run_dir)) {
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  }

  std::string config() const { return dir + "/config.yaml"; }
  std::string metrics() const { return dir + "/metrics.jsonl"; }
  std::string episodes() const { return dir + "/episodes.sqlite"; }
  std::string checkpoints() const { return dir + "/checkpoints"; }
  std::string checkpoint(const std::string& name) const { return checkpoints() + "/" + name + ".pt"; }
  std::string step_checkpoint(int64_t step) const { return checkpoint("step-" + std::to_string(step)); }
  std::string tokenizer() const { return dir + "/tokenizer.model"; }  // the vocabulary an SFT run learned
  std::string report() const { return dir + "/report.html"; }
  std::string eval() const { return dir + "/eval.json"; }  // `stepcoder ablate`'s test-split evaluation

  // A directory that a run wrote: it holds its config, its metrics or its episodes.
  bool exists() const { return file_exists(config()) || file_exists(metrics()) || file_exists(episodes()); }

  std::string dir;
};

}  // namespace stepcoder::run
