// Terminal progress line: see progress.h.
#include "util/progress.h"

#include <unistd.h>

#include <cstdio>

namespace stepcoder {

using Clock = std::chrono::steady_clock;

bool Progress::stderr_is_tty() { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, int64_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && stderr_is_tty()),
      start_(Clock::now()) {}

Progress::~Progress() { finish(); }

static std::string clock_text(double s) {
  if (s < 0 || s > 1e7) return "?";
  int t = static_cast<int>(s + 0.5);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%d:%02d", t / 60, t % 60);
  return buf;
}

void Progress::update(int64_t done, const std::string& status) {
  done_ = done;
  if (!enabled_ || finished_) return;
  auto now = Clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double rate = secs > 0 ? done / secs : 0;
  double eta = rate > 0 ? (total_ - done) / rate : -1;
  const int width = 24;
  int filled = total_ > 0 ? static_cast<int>(width * done / total_) : 0;
  std::string bar(filled, '=');
  if (filled < width) bar += '>' + std::string(width - filled - 1, ' ');
  std::fprintf(stderr, "\r\033[K%s %lld/%lld [%s] %.1f/s ETA %s %s", label_.c_str(),
               static_cast<long long>(done), static_cast<long long>(total_), bar.c_str(), rate,
               clock_text(eta).c_str(), status.c_str());
  std::fflush(stderr);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace stepcoder
