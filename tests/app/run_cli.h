// Runs the built `stepcoder` binary (or any shell command) and captures its exit status and
// output, for the tests of CLI verbs.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace stepcoder::testing {

struct Outcome {
  int code = -1;  // exit status; 128 + signal when killed
  std::string output;
};

inline Outcome run_shell(const std::string& cmd) {
  FILE* p = ::popen(cmd.c_str(), "r");
  Outcome o;
  if (!p) return o;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) o.output.append(buf, n);
  int st = ::pclose(p);
  o.code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return o;
}

// stdout and stderr together unless `stderr_too` is false (then stderr is dropped).
inline Outcome run_cli(const std::string& args, bool stderr_too = true) {
  return run_shell(std::string(STEPCODER_BINARY_DIR) + "/stepcoder " + args + (stderr_too ? " 2>&1" : " 2>/dev/null"));
}

}  // namespace stepcoder::testing
