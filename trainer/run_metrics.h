// metrics.jsonl of a training run: one JSON object a line ({"kind":"ppo","step":..}, "eval",
// "summary"), appended and flushed as they happen, so a killed run keeps every line it wrote.
// On --resume the lines of steps after the checkpoint are dropped (the file is rewritten
// atomically), so each finished step is logged once however often the run was interrupted.
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

#include "util/expected.h"
#include "util/jsonl.h"

namespace stepcoder::trainer {

class MetricsLog {
 public:
  MetricsLog() = default;
  ~MetricsLog();
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;

  Status open(const std::string& path);
  // Writes one line and flushes it; `on_line` (optional) sees every line too.
  Status append(const Json& line);
  std::function<void(const Json&)> on_line;

 private:
  std::FILE* f_ = nullptr;
  std::string path_;
};

// Keeps the lines whose "step" is at most `last_step` and drops "summary" lines (they describe
// an invocation that ended); a missing file is not an error. Returns the lines dropped.
Expected<int> truncate_metrics(const std::string& path, int64_t last_step);

}  // namespace stepcoder::trainer
