// Starting and waiting for child processes, written once: the judge starts its sandbox helper
// with it, `stepcoder ablate` runs `stepcoder train` and `eval`, tests run the CLI. posix_spawn
// underneath (no fork of a large trainer); the child starts with default signal dispositions
// and an empty signal mask whatever the parent had.
//
//   SpawnOptions o;  o.stdin_path = "/dev/null";  o.fds = {{sock, 3}};
//   Expected<pid_t> pid = spawn_process({"/usr/bin/helper", "--flag"}, o);
//   Expected<int> status = wait_process(*pid);          // exit code, or 128 + signal
//   Expected<ProcessResult> r = run_process({exe, "eval", "--json"}, /*capture_stdout=*/true);
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "util/expected.h"

namespace stepcoder {

struct SpawnOptions {
  bool inherit_env = true;       // false: an empty environment
  std::string stdin_path;        // opened read-only as stdin; "" = the parent's
  std::string stdout_path;       // created or truncated as stdout; "" = the parent's
  bool stdout_to_stderr = false; // stdout goes where stderr goes
  bool stderr_to_stdout = false; // stderr goes where stdout goes (after stdout_path)
  std::vector<std::pair<int, int>> fds;  // (parent's descriptor, its number in the child)
};

// argv[0] is the executable's path. Errors name it.
Expected<pid_t> spawn_process(const std::vector<std::string>& argv, const SpawnOptions& opts = {});
// The exit code, or 128 + the signal that ended the child (the shell's convention).
Expected<int> wait_process(pid_t pid);

struct ProcessResult {
  int status = -1;          // as wait_process
  std::string stdout_text;  // with capture_stdout
};

// Runs to the end. With capture_stdout the child's stdout is collected; without, it goes to the
// parent's stderr (so a driver's own stdout stays machine-readable).
Expected<ProcessResult> run_process(const std::vector<std::string>& argv, bool capture_stdout,
                                    const SpawnOptions& opts = {});

}  // namespace stepcoder
