// What to run in a box (box.h) and what the run did. One SpawnSpec per process: the compiler,
// a judged program, the trusted test process of split assert tests, or a contained tool.
//
//   SpawnSpec s;
//   s.who = box::Who::Program; s.exec_path = binary; s.argv = {"program"};
//   s.stdin_data = "1 2\n"; s.seccomp = true; s.cpu_ms = 2000; s.memory_bytes = 256 << 20;
//   Expected<std::vector<SpawnResult>> r = box.run({s});
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sandbox/box_protocol.h"

namespace stepcoder::sandbox {

// File descriptors a judged program sees besides 0, 1, 2.
constexpr int kReportFd = 3;  // assert harness: per-check results
constexpr int kSharedFd = 4;  // instrumentation counters (present only when shared_bytes > 0)
constexpr int kCallFd = 5;    // split assert tests: calls, from the test process to the program
constexpr int kReplyFd = 6;   // and the program's replies
constexpr int kSecretFd = 7;  // in-process assert tests: the completion secret, read at the end

struct SpawnSpec {
  box::Who who = box::Who::Program;  // selects the uid and the filesystem view
  std::string exec_path;           // opened by the judge and executed through the descriptor,
  bool exec_in_view = false;       // or (the compiler) executed by this path inside the view
  std::vector<std::string> argv;   // argv[0] included; no empty strings
  std::vector<std::string> env;    // "K=V"; empty for judged programs
  std::string stdin_data;
  std::string workdir;             // chdir target inside the view (Compiler only)
  bool seccomp = false;            // the judged-program policy (policy.h)
  int cpu_ms = 0;                  // 0 = no limit
  int wall_ms = 10000;
  int64_t memory_bytes = 0;        // RLIMIT_AS; 0 = no limit
  int64_t stack_bytes = 0;         // RLIMIT_STACK; 0 = inherit
  int64_t file_bytes = 0;          // RLIMIT_FSIZE; 0 = no files may grow, -1 = no limit
  int nofile = 0;                  // RLIMIT_NOFILE; 0 = inherit
  size_t output_cap = 1 << 20;     // per stream; more kills the child
  bool kill_on_output_cap = true;  // false: keep draining and discard (compiler messages)
  bool want_report = false;        // a pipe at kReportFd for the assert harness
  size_t shared_bytes = 0;         // a zeroed memfd at kSharedFd when > 0
  std::vector<std::pair<int, int>> extra_fds;  // (judge's descriptor, number in the child)
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
  int64_t max_rss_kb = 0;        // the process's own peak resident set
  std::string out, err, report, shared;
};

}  // namespace stepcoder::sandbox
