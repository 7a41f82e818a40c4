// Confidence intervals for multi-seed ablations: the mean of a per-(seed, problem) score and the
// paired difference between two arms, by a two-way bootstrap that resamples seeds and problems
// (both are samples: another seed or another problem set would give another figure).
//
//   Scores base = {{1, 0, 1}, {1, 1, 0}};   // [seed][problem], e.g. greedy pass (0/1)
//   Scores arm  = {{1, 1, 1}, {1, 1, 0}};   // the same seeds and problems, in the same order
//   Interval m = bootstrap_mean(arm);                  // m.mean, m.low, m.high (95%)
//   Interval d = bootstrap_difference(arm, base);      // paired: seed s with seed s, problem p with p
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.h"

namespace stepcoder::report {

using Scores = std::vector<std::vector<double>>;  // [seed][problem]

struct Interval {
  double mean = 0, low = 0, high = 0;  // the point estimate and the bootstrap percentiles
  int seeds = 0, problems = 0;
};

struct BootstrapOptions {
  int resamples = 2000;
  double level = 0.95;
  uint64_t seed = 1;  // the bootstrap's own draws: the same seed gives the same interval
};

// Every row must be as long as the first; at least one seed and one problem.
Expected<Interval> bootstrap_mean(const Scores& x, const BootstrapOptions& o = {});
// The interval of mean(a - b), where a[s][p] and b[s][p] are paired. Same shape required.
Expected<Interval> bootstrap_difference(const Scores& a, const Scores& b, const BootstrapOptions& o = {});

}  // namespace stepcoder::report
