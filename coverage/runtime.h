// The counter runtime compiled into instrumented programs, and the layout of the shared region
// it writes: one uint64 per counter, then a trailer (magic, counter count). The counters are a
// page-aligned static array that the program maps over with the judge's memfd at kSharedFd
// during static initialization, so an increment costs what gcov's does; without the memfd
// (plain runs, gcov comparisons) the array stays private and nothing is reported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace stepcoder::coverage {

constexpr uint64_t kSharedMagic = 0x31564f4343535f5fULL;  // "__SCCOV1", little-endian
constexpr size_t kTrailerWords = 2;                       // magic, counter count

inline size_t shared_bytes_for(uint32_t counters) {
  return (counters + kTrailerWords) * sizeof(uint64_t);
}

// The text that precedes the instrumented program: it declares the counters `__sc_cov`, the
// increment `__sc_inc(i)`, and maps the region at `shared_fd`. It ends with `#line 1` so the program's lines keep their numbers.
std::string runtime_prelude(uint32_t counters, int shared_fd);

// The statement inserted for counter `id`: "__sc_inc(id);".
std::string counter_increment(uint32_t id);

}  // namespace stepcoder::coverage
