// Sandbox configuration keys: see config.h.
#include "sandbox/config.h"

#include "util/config.h"

namespace stepcoder::sandbox {

void describe(SandboxConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".compiler", &c.compiler, "C++ compiler: g++ or clang++ (name or path)");
  s.add(p + ".std", &c.std, "language standard passed as -std=").choices(
      {"c++11", "c++14", "c++17", "c++20", "gnu++17", "gnu++20"});
  s.add(p + ".opt", &c.opt, "optimization flag").choices({"-O0", "-O1", "-O2", "-O3", "-Os", "-Og"});
  s.add(p + ".static_link", &c.static_link,
        "link statically (programs then need no file access at run time)");
  s.add(p + ".pch", &c.pch, "precompile <bits/stdc++.h> once per flag set and force-include it");
  s.add(p + ".checked_stl", &c.checked_stl,
        "bounds-checked standard containers (-D_GLIBCXX_ASSERTIONS): indexing past the end is a "
        "runtime error, not undefined behaviour that may happen to give the right answer");
  s.add(p + ".extra_flags", &c.extra_flags, "further compiler flags");
  s.add(p + ".libs", &c.libs, "libraries linked after the program, as -l<name>");
  s.add(p + ".cache_dir", &c.cache_dir,
        "compile cache directory; empty: $XDG_CACHE_HOME/stepcoder or ~/.cache/stepcoder");
  s.add(p + ".cache_max_mb", &c.cache_max_mb, "compile cache size before eviction (MiB)")
      .range(16, 1 << 20);
  s.add(p + ".workers", &c.workers, "judging threads; 0 = one per core").range(0, 256);
  s.add(p + ".uid_base", &c.uid_base,
        "as root: the first uid of the sandbox; each judge claims a block of 192 above it (lock "
        "files in /run/stepcoder) and runs slot k's compiler, program and test process as the "
        "block's 3k-th, +1, +2; no user of the machine may own these uids")
      .range(1000, 2000000000);
  s.add(p + ".run.cpu_ms", &c.run.cpu_ms, "CPU time per test run (ms)").range(10, 600000);
  s.add(p + ".run.wall_ms", &c.run.wall_ms, "wall-clock time per test run (ms)").range(10, 600000);
  s.add(p + ".run.memory_mb", &c.run.memory_mb, "address space per run (MiB)").range(16, 65536);
  s.add(p + ".run.stack_mb", &c.run.stack_mb, "stack per run (MiB)").range(1, 65536);
  s.add(p + ".run.output_kb", &c.run.output_kb, "stdout and stderr cap per run, each (KiB)")
      .range(1, 1 << 20);
  s.add(p + ".compile.cpu_ms", &c.compile.cpu_ms, "compiler CPU time (ms)").range(100, 600000);
  s.add(p + ".compile.wall_ms", &c.compile.wall_ms, "compiler wall-clock time (ms)")
      .range(100, 600000);
  s.add(p + ".compile.memory_mb", &c.compile.memory_mb, "compiler address space (MiB)")
      .range(64, 65536);
  s.add(p + ".compile.output_kb", &c.compile.output_kb, "compiler messages kept (KiB)")
      .range(1, 1 << 20);
}

}  // namespace stepcoder::sandbox
