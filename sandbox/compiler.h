// Compiling untrusted C++: the compiler runs under CPU, wall, memory, file-size and output
// limits; binaries are cached by a hash of compiler, flags and source; <bits/stdc++.h> is
// precompiled once per flag set and force-included. Diagnostics keep only messages located in
// the program or the test code, so an `#include "/etc/passwd"` cannot echo the file's content.
#pragma once

#include <memory>
#include <mutex>
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

struct CompileOutput {
  bool ok = false;
  std::string binary;  // path inside the cache (valid while the cache entry lives)
  std::vector<Diagnostic> diagnostics;
  std::string message;  // first error, or why the compiler was stopped
  double ms = 0;
  bool cache_hit = false;
};

class Compiler {
 public:
  // Checks the compiler runs, prepares the cache and builds the precompiled header.
  static Expected<std::unique_ptr<Compiler>> create(const SandboxConfig& cfg);
  // Thread-safe. `workdir` is a private scratch directory of the caller.
  CompileOutput compile(const std::string& source, const std::string& workdir);
  const std::vector<std::string>& flags() const { return flags_; }
  bool pch_active() const { return !pch_flags_.empty(); }

 private:
  explicit Compiler(const SandboxConfig& cfg) : cfg_(cfg) {}
  Status find_compiler();
  Status build_pch();
  CompileOutput run_compiler(const std::string& source, const std::string& workdir,
                             const std::string& out_path);
  void evict_if_needed();

  SandboxConfig cfg_;
  std::string compiler_path_, compiler_id_, cache_dir_;
  bool is_clang_ = false;
  std::vector<std::string> flags_, pch_flags_;
  std::string flags_key_;  // every flag that shapes a binary, joined once for cache keys
  std::mutex evict_mu_;
  int inserts_since_evict_ = 0;
};

// Parses "file:line:col: severity: message" lines (g++ and clang++ text format), keeping those
// in kProgramFile or kTestsFile; messages in any other file are reduced to where they came
// from. Exposed for tests.
std::vector<Diagnostic> parse_diagnostics(const std::string& compiler_stderr);

// Resolves the cache directory: cfg.cache_dir, else $XDG_CACHE_HOME/stepcoder, else
// $HOME/.cache/stepcoder, else /tmp/stepcoder-cache.
std::string default_cache_dir(const std::string& configured);

}  // namespace stepcoder::sandbox
