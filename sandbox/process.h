// Runs one child process under limits and collects what it did: exit status, rusage, capped
// stdout/stderr, the harness report pipe and the shared counter region. Used for both the
// compiler (no seccomp, may fork) and judged programs (seccomp, no new processes, no files).
//
//   SpawnSpec s;
//   s.exec_path = binary; s.argv = {"prog"}; s.stdin_data = "1 2\n";
//   s.policy = &policy; s.cpu_ms = 2000; s.wall_ms = 5000; s.memory_bytes = 256 << 20;
//   Expected<SpawnResult> r = spawn_and_wait(s);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.h"

namespace stepcoder::sandbox {

class Policy;

struct SpawnSpec {
  std::string exec_path;           // opened by the parent; executed through a descriptor
  std::vector<std::string> argv;   // argv[0] included
  std::vector<std::string> env;    // "K=V"; empty for judged programs
  std::string stdin_data;
  std::string workdir;             // chdir target ("" = stay)
  const Policy* policy = nullptr;  // seccomp filter; null for the compiler
  bool drop_privileges = true;     // when running as root: become nobody (65534)
  int cpu_ms = 0;                  // 0 = no limit
  int wall_ms = 10000;
  int64_t memory_bytes = 0;        // RLIMIT_AS; 0 = no limit
  int64_t stack_bytes = 0;         // RLIMIT_STACK; 0 = inherit
  int64_t file_bytes = 0;          // RLIMIT_FSIZE; 0 = no files may grow, -1 = no limit
  size_t output_cap = 1 << 20;     // per stream; more kills the child
  bool kill_on_output_cap = true;  // false: keep draining and discard (compiler messages)
  bool want_report = false;        // a pipe at fd 3 for the assert harness
  size_t shared_bytes = 0;         // a zeroed memfd at fd 4 when > 0
};

struct SpawnResult {
  int exit_code = -1;  // -1 when signalled
  int signal = 0;
  bool wall_timeout = false;
  bool cpu_timeout = false;      // rusage CPU beyond cpu_ms
  bool output_exceeded = false;
  int exec_errno = 0;            // the child failed before exec (errno), e.g. ENOMEM
  double wall_ms = 0;
  double cpu_ms = 0;
  int64_t max_rss_kb = 0;
  std::string out, err, report, shared;
};

// Fails only when the judge itself cannot work (pipes, fork); anything the child does is a result.
Expected<SpawnResult> spawn_and_wait(const SpawnSpec& spec);

}  // namespace stepcoder::sandbox
