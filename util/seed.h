// Seeds derived from a run's seed, one way everywhere: splitmix64 over (seed, a, b), so nearby
// steps, epochs, chunks or streams get unrelated random streams, and a seed gives the same ones
// on every run.
//
//   sc.seed = mix_seed(run_seed, step, /*stream=*/1);    // this step's sampling
//   std::mt19937_64 rng(mix_seed(seed, epoch));           // this epoch's data order
#pragma once

#include <cstdint>

namespace stepcoder {

// Below 2^63, so it fits an int64 seed too.
inline uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b = 0) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + a * 0xBF58476D1CE4E5B9ull + b;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (z ^ (z >> 31)) >> 1;
}

}  // namespace stepcoder
