// The judge's side of running processes: one poll loop that feeds each process its stdin,
// drains its stdout, stderr and report pipe into capped buffers, enforces its wall-clock
// deadline and output cap, and waits for every process to end. Who tells it that a process
// ended is pluggable: a pidfd (process.cpp) or the box's control socket (box.cpp).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "sandbox/spawn.h"

namespace stepcoder::sandbox {

using SteadyClock = std::chrono::steady_clock;

struct Watched {
  const SpawnSpec* spec = nullptr;
  int in_fd = -1, out_fd = -1, err_fd = -1, rep_fd = -1;  // the judge's ends; -1 = none
  SpawnResult* result = nullptr;
  std::function<void()> kill;  // ends the process (SIGKILL); its exit is still reported
  SteadyClock::time_point deadline;
  bool exited = false;         // set by the exit source
};

// Polls `exit_fd` besides the pipes; when it is readable, `on_exit_ready` is called and marks
// the Watched entries that ended. Returns when every process ended and its pipes closed, or
// false when the exit source failed or a killed process was not reported within 10 seconds.
// Closes the in/out/err/rep descriptors it was given.
bool supervise(std::vector<Watched>& procs, int exit_fd,
               const std::function<bool()>& on_exit_ready);

}  // namespace stepcoder::sandbox
