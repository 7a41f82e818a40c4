// Counter runtime text. Plain C-like code, so it compiles under g++ and clang++ at any -O level,
// after the judge's forced <bits/stdc++.h> and before any user code.
#include "coverage/runtime.h"

#include <cinttypes>
#include <cstdio>

namespace stepcoder::coverage {

std::string runtime_prelude(uint32_t counters, int shared_fd) {
  // The array fills whole pages so that MAP_FIXED replaces nothing else. The size check keeps
  // a stray descriptor 4 (not the judge's memfd) from mapping a short file, which would fault.
  // Priority 101 runs before the translation unit's own dynamic initializers, which may call
  // instrumented functions. On x86-64 an increment is one `incq` on the counter's address even
  // at -O0, where `++` compiles to a load, an add and a store (measured: 1.07x the plain
  // program's instructions against 1.22x with `++` and 1.35x with gcov).
  constexpr size_t kPage = 4096;
  size_t bytes = shared_bytes_for(counters);
  size_t words = (bytes + kPage - 1) / kPage * kPage / sizeof(uint64_t);
  char buf[1536];
  std::snprintf(
      buf, sizeof(buf),
      "#include <sys/mman.h>\n"
      "#include <sys/stat.h>\n"
      "alignas(%zu) static unsigned long long __sc_cov[%zu];\n"
      "#if defined(__x86_64__)\n"
      "#define __sc_inc(i) __asm__ volatile(\"incq %%0\" : \"+m\"(__sc_cov[i]))\n"
      "#else\n"
      "#define __sc_inc(i) (void)++__sc_cov[i]\n"
      "#endif\n"
      "__attribute__((constructor(101))) static void __sc_cov_init() {\n"
      "  struct stat st;\n"
      "  if (fstat(%d, &st) != 0 || st.st_size < %zu) return;\n"
      "  void* p = mmap(__sc_cov, %zu, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, %d, 0);\n"
      "  if (p == MAP_FAILED) return;\n"
      "  __sc_cov[%u] = 0x%" PRIx64 "ULL;\n"
      "  __sc_cov[%u] = %u;\n"
      "}\n"
      "#line 1\n",
      kPage, words, shared_fd, bytes, bytes, shared_fd, counters, kSharedMagic, counters + 1,
      counters);
  return buf;
}

std::string counter_increment(uint32_t id) {
  return "__sc_inc(" + std::to_string(id) + ");";
}

}  // namespace stepcoder::coverage
