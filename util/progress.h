// A progress line for long work ("judge  37/164 [=====>    ] 12.3/s ETA 0:10"), drawn on
// stderr only when stderr is a terminal, so logs and pipes stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace stepcoder {

class Progress {
 public:
  Progress(std::string label, int64_t total, bool enabled = true);
  ~Progress();
  // Sets the count done and an optional status text ("reward 0.31 pass 42%").
  void update(int64_t done, const std::string& status = "");
  void finish();
  static bool stderr_is_tty();

 private:
  std::string label_;
  int64_t total_, done_ = 0;
  bool enabled_, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace stepcoder
