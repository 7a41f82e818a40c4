// Resource limits of a child process, set in the child right before exec. Shared by the
// judge's own children (process.cpp, which start in the judge's address space) and the box's
// (box_server.cpp), so async-signal-safe and free of allocation.
#pragma once

#include <cstdint>

namespace stepcoder::sandbox {

struct ChildLimits {
  int64_t cpu_ms = 0;        // RLIMIT_CPU, rounded up to seconds, hard limit a second later; 0 = none
  int64_t memory_bytes = 0;  // RLIMIT_AS; 0 = none
  int64_t stack_bytes = 0;   // RLIMIT_STACK; 0 = inherit
  int64_t file_bytes = 0;    // RLIMIT_FSIZE; 0 = no file may grow, -1 = no limit
  int nofile = 0;            // RLIMIT_NOFILE; 0 = inherit
};

// Sets every limit and RLIMIT_CORE to 0. Returns 0 or the errno of the failing setrlimit.
int apply_limits(const ChildLimits& l);

}  // namespace stepcoder::sandbox
