// Compiling untrusted C++: the compiler runs in a box (box.h) as the slot's unprivileged
// compiler uid, seeing only the toolchain, the precompiled headers and the slot's work
// directory, with no network, under CPU, wall, memory, file-size and output limits. Binaries
// are cached by a hash of compiler, flags and source, outside the compiler's view;
// <bits/stdc++.h> is precompiled once per flag set and force-included. Diagnostics keep only
// messages located in the program or the test code, and say of any other file only its name.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sandbox/config.h"
#include "sandbox/judge.h"
#include "util/expected.h"

namespace stepcoder::sandbox {

// The file name the source is compiled under, and the name #line gives the appended test code.
constexpr const char* kProgramFile = "program.cpp";
constexpr const char* kTestsFile = "tests.cpp";
constexpr const char* kHarnessFile = "harness";  // the assert harness's own lines
constexpr const char* kInterfaceFile = "interface";  // the problem's declarations (split tests)

class Box;

struct CompileOutput {
  bool ok = false;
  std::string binary;  // path inside the cache (valid while the cache entry lives)
  std::vector<Diagnostic> diagnostics;
  std::string message;  // first error, or why the compiler was stopped
  double ms = 0;
  double cpu_ms = 0;    // the compiler's CPU time (0 on a cache hit)
  bool cache_hit = false;
  bool stopped = false;  // not the source's doing: a limit (time, memory), a signal, the judge
};

struct CompileOptions {
  int cpu_ms = 0;                 // CPU limit; 0 = sandbox.compile.cpu_ms
  bool remember_failure = false;  // cache a failure too (sources compiled once per problem)
};

class Compiler {
 public:
  // Checks the compiler runs (in `box`), prepares the cache and builds the precompiled header.
  static Expected<std::unique_ptr<Compiler>> create(const SandboxConfig& cfg, Box& box);
  // Thread-safe as long as each caller holds its own box.
  CompileOutput compile(const std::string& source, Box& box, const CompileOptions& opts = {});
  const std::vector<std::string>& flags() const { return flags_; }
  bool pch_active() const { return !pch_flags_.empty(); }
  // Host directories the compiler's view needs read-only: the precompiled headers.
  static std::string pch_root(const std::string& cache_dir) { return cache_dir + "/pch"; }

 private:
  explicit Compiler(const SandboxConfig& cfg) : cfg_(cfg) {}
  Status find_compiler(Box& box);
  Status build_pch(Box& box);
  CompileOutput run_compiler(const std::string& source, Box& box, const std::string& out_path,
                             const CompileOptions& opts);
  void evict_if_needed();

  SandboxConfig cfg_;
  std::string compiler_path_, exec_path_, compiler_id_, cache_dir_;
  bool is_clang_ = false;
  std::vector<std::string> flags_, pch_flags_;
  std::string flags_key_;  // every flag that shapes a binary, joined once for cache keys
  std::mutex evict_mu_;
  int inserts_since_evict_ = 0;
  std::mutex flight_mu_;
  std::condition_variable flight_cv_;
  std::set<std::string> in_flight_;  // cache keys being compiled now
};

// Parses "file:line:col: severity: message" lines (g++ and clang++ text format), keeping those
// in kProgramFile or kTestsFile; messages in any other file are reduced to where they came
// from. Exposed for tests.
std::vector<Diagnostic> parse_diagnostics(const std::string& compiler_stderr);

// Resolves the cache directory: cfg.cache_dir (made absolute), else cache_home() of util/files.h.
std::string default_cache_dir(const std::string& configured);

}  // namespace stepcoder::sandbox
