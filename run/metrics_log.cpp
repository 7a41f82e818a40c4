// metrics.jsonl writer with its TensorBoard twin, and resume truncation (see metrics_log.h).
#include "run/metrics_log.h"

#include <unistd.h>

#include <algorithm>

#include "run/tensorboard.h"
#include "util/files.h"

namespace stepcoder::run {

namespace {

int64_t step_of(const Json& line) {
  const auto it = line.find("step");
  return it != line.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
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
  auto text = read_file(path_);
  if (!text) return Error(text.error());
  for (size_t at = 0; at < text->size();) {
    size_t end = std::min(text->find('\n', at), text->size());
    const Json line = Json::parse(text->substr(at, end - at), nullptr, /*allow_exceptions=*/false);
    at = end + 1;
    if (!line.is_object()) continue;  // a line cut short by a kill
    if (Status st = events_->write(step_of(line), scalars_of(line)); !st) return st;
  }
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
  auto text = read_file(path);
  if (!text) return Error(text.error());
  std::string kept;
  int dropped = 0;
  size_t pos = 0;
  while (pos < text->size()) {
    size_t end = text->find('\n', pos);
    if (end == std::string::npos) end = text->size();
    const std::string line = text->substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    // A line cut short by a kill does not parse: it belongs to a step that did not finish.
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    const bool keep = j.is_object() && j.value("kind", "") != "summary" &&
                      j.value("step", int64_t{0}) <= last_step;
    if (keep) kept += line + "\n";
    else ++dropped;
  }
  if (Status st = write_file_atomic(path, kept); !st) return Error("rewriting " + path + ": " + st.error());
  return dropped;
}

}  // namespace stepcoder::run
