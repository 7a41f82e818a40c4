// metrics.jsonl of a training run, SFT or PPO: one JSON object a line ({"kind":"ppo","step":..},
// "eval", "train", "summary"), appended and flushed as they happen, so a killed run keeps every
// line it wrote. Beside it, the same numbers as TensorBoard scalars (tensorboard.h), so
// `tensorboard --logdir runs/` shows the run. On --resume the lines of steps after the
// checkpoint are dropped (the file is rewritten atomically) and the event file is written
// afresh from what is kept, so each finished step is logged once however often the run was
// interrupted.
//
//   MetricsLog log;
//   if (Status st = log.open(run::RunLayout(run_dir).metrics()); !st) die(st.error());
//   log.append({{"kind", "ppo"}, {"step", 3}, ...});
//   truncate_metrics(run::RunLayout(run_dir).metrics(), /*last_step=*/2);   // before reopening
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include <memory>

#include "util/expected.h"
#include "util/jsonl.h"

namespace stepcoder::run {

class EventWriter;

class MetricsLog {
 public:
  MetricsLog();
  ~MetricsLog();
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;

  // Appends to `path`; with `tensorboard`, replaces the run's event files with one holding the
  // lines already in `path`, then the ones appended.
  Status open(const std::string& path, bool tensorboard = true);
  // Writes one line (and its scalars) and flushes it; `on_line` (optional) sees every line too.
  Status append(const Json& line);
  std::function<void(const Json&)> on_line;

 private:
  Status open_events(const std::string& dir);
  std::FILE* f_ = nullptr;
  std::string path_;
  std::unique_ptr<EventWriter> events_;
};

// Keeps the lines whose "step" is at most `last_step` and drops "summary" lines (they describe
// an invocation that ended); a missing file is not an error. Returns the lines dropped.
Expected<int> truncate_metrics(const std::string& path, int64_t last_step);

}  // namespace stepcoder::run
