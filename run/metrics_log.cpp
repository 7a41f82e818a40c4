// metrics.jsonl writer with its TensorBoard twin, and resume truncation (see metrics_log.h).
#include "run/metrics_log.h"

#include <unistd.h>

#include <algorithm>

#include "run/metrics_keys.h"
#include "run/tensorboard.h"
#include "util/files.h"

namespace stepcoder::run {

namespace {

int64_t step_of(const Json& line) {
  const auto it = line.find(key::kStep);
  return it != line.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// The lines of metrics.jsonl; a line cut short by a kill does not parse and is skipped (it
// belongs to a step that did not finish).
Expected<JsonlFile> read_lines(const std::string& path) {
  JsonlOptions o;
  o.skip_bad = true;
  return read_jsonl(path, o);
}

}  // namespace

MetricsLog::MetricsLog() = default;

MetricsLog::~MetricsLog() {
  if (f_) std::fclose(f_);
}

Status MetricsLog::open(const std::string& path, bool tensorboard) {
  if (f_) std::fclose(f_);
  events_.reset();
  path_ = path;
  f_ = std::fopen(path.c_str(), "a");
  if (!f_) return SysError("opening " + path);
  if (!tensorboard) return {};
  const size_t slash = path.rfind('/');
  return open_events(slash == std::string::npos ? "." : path.substr(0, slash));
}

Status MetricsLog::open_events(const std::string& dir) {
  for (const std::string& old : event_files(dir))
    if (::unlink(old.c_str()) != 0) return SysError("removing " + old);
  auto w = EventWriter::create(dir);
  if (!w) return Error(w.error());
  events_ = std::make_unique<EventWriter>(std::move(*w));
  auto lines = read_lines(path_);
  if (!lines) return Error(lines.error());
  for (const JsonlRow& r : lines->rows)
    if (Status st = events_->write(step_of(r.value), scalars_of(r.value)); !st) return st;
  return {};
}

Status MetricsLog::append(const Json& line) {
  if (!f_) return Error("metrics log is not open");
  const std::string text = line.dump() + "\n";
  if (std::fwrite(text.data(), 1, text.size(), f_) != text.size() || std::fflush(f_) != 0)
    return SysError("writing " + path_);
  if (events_)
    if (Status st = events_->write(step_of(line), scalars_of(line)); !st) return st;
  if (on_line) on_line(line);
  return {};
}

Expected<int> truncate_metrics(const std::string& path, int64_t last_step) {
  if (!file_exists(path)) return 0;
  auto lines = read_lines(path);
  if (!lines) return Error(lines.error());
  std::vector<Json> kept;
  for (const JsonlRow& r : lines->rows)
    if (r.value.value(key::kKind, "") != kind::kSummary && step_of(r.value) <= last_step) kept.push_back(r.value);
  const int dropped = lines->skipped + static_cast<int>(lines->rows.size() - kept.size());
  if (Status st = write_file_atomic(path, to_jsonl(kept)); !st) return Error("rewriting " + path + ": " + st.error());
  return dropped;
}

}  // namespace stepcoder::run
