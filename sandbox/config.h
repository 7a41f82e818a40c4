// Configuration of the judge: compiler, limits for the compiler and for the program, caches,
// workers. Declared once in describe() so YAML loading and the reference share it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stepcoder {
class ConfigSchema;
}

namespace stepcoder::sandbox {

struct RunLimits {
  int cpu_ms = 2000;             // CPU time per run (RLIMIT_CPU plus a precise check)
  int wall_ms = 5000;            // wall-clock time per run
  int memory_mb = 256;           // address space
  int stack_mb = 64;             // stack size
  int output_kb = 1024;          // stdout and stderr, each
};

struct CompileLimits {
  int cpu_ms = 30000;
  int wall_ms = 60000;
  int memory_mb = 2048;
  int output_kb = 256;  // compiler messages kept
};

struct SandboxConfig {
  std::string compiler = "g++";  // g++ or clang++ (any path whose name says which)
  std::string std = "c++17";
  std::string opt = "-O0";
  bool static_link = true;       // static binaries need no file access at run time
  bool pch = true;               // precompiled <bits/stdc++.h> per flag set
  bool checked_stl = true;       // -D_GLIBCXX_ASSERTIONS: out-of-range indexing is an error
  std::vector<std::string> extra_flags;
  // Libraries linked after the program (-l<name>); crypto for the MD5 that HumanEval-X uses.
  std::vector<std::string> libs{"crypto"};
  std::string cache_dir;         // "" = $XDG_CACHE_HOME/stepcoder or ~/.cache/stepcoder
  int cache_max_mb = 2048;       // compile cache size before old entries are evicted
  int workers = 0;               // judging threads; 0 = number of cores
  int uid_base = 62000;          // as root: uids from here on, a block of 3 per slot for each
                                 // judge (no user of the machine may own these; slots.h)
  RunLimits run;
  CompileLimits compile;
};

// Declares every key under `prefix` (normally "sandbox").
void describe(SandboxConfig& cfg, ConfigSchema& schema, const std::string& prefix = "sandbox");

}  // namespace stepcoder::sandbox
