// metrics.jsonl writer and resume truncation (see run_metrics.h).
#include "trainer/run_metrics.h"

#include "util/files.h"

namespace stepcoder::trainer {

MetricsLog::~MetricsLog() {
  if (f_) std::fclose(f_);
}

Status MetricsLog::open(const std::string& path) {
  if (f_) std::fclose(f_);
  path_ = path;
  f_ = std::fopen(path.c_str(), "a");
  if (!f_) return SysError("opening " + path);
  return {};
}

Status MetricsLog::append(const Json& line) {
  if (!f_) return Error("metrics log is not open");
  const std::string text = line.dump() + "\n";
  if (std::fwrite(text.data(), 1, text.size(), f_) != text.size() || std::fflush(f_) != 0)
    return SysError("writing " + path_);
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

}  // namespace stepcoder::trainer
