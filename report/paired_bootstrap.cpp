// Two-way bootstrap over seeds and problems (see paired_bootstrap.h).
#include "report/paired_bootstrap.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace stepcoder::report {
namespace {

Status check_shape(const Scores& x, const char* what) {
  if (x.empty() || x[0].empty()) return Error(std::string(what) + ": no scores (need at least one seed and one problem)");
  for (size_t s = 1; s < x.size(); ++s)
    if (x[s].size() != x[0].size())
      return Error(std::string(what) + ": seed " + std::to_string(s + 1) + " has " + std::to_string(x[s].size()) +
                   " problems, seed 1 has " + std::to_string(x[0].size()));
  return {};
}

double mean_of(const Scores& x) {
  double sum = 0;
  for (const auto& row : x)
    for (double v : row) sum += v;
  return sum / static_cast<double>(x.size() * x[0].size());
}

// One resample draws seeds and problems with replacement; the problem draw is shared by all
// drawn seeds, since every seed was scored on the same problems.
Interval two_way(const Scores& x, const BootstrapOptions& o) {
  const size_t S = x.size(), P = x[0].size();
  std::mt19937_64 rng(o.seed);
  std::uniform_int_distribution<size_t> seed_of(0, S - 1), problem_of(0, P - 1);
  std::vector<double> means;
  means.reserve(static_cast<size_t>(std::max(1, o.resamples)));
  std::vector<double> column(P);  // per problem: the sum over the drawn seeds
  for (int r = 0; r < o.resamples; ++r) {
    std::fill(column.begin(), column.end(), 0.0);
    for (size_t i = 0; i < S; ++i) {
      const auto& row = x[seed_of(rng)];
      for (size_t p = 0; p < P; ++p) column[p] += row[p];
    }
    double sum = 0;
    for (size_t j = 0; j < P; ++j) sum += column[problem_of(rng)];
    means.push_back(sum / static_cast<double>(S * P));
  }
  std::sort(means.begin(), means.end());
  Interval out;
  out.mean = mean_of(x), out.seeds = static_cast<int>(S), out.problems = static_cast<int>(P);
  if (means.empty()) {
    out.low = out.high = out.mean;
    return out;
  }
  const double tail = (1.0 - o.level) / 2.0;
  auto at = [&](double q) {
    const size_t i = static_cast<size_t>(std::clamp(q * static_cast<double>(means.size() - 1), 0.0,
                                                    static_cast<double>(means.size() - 1)));
    return means[i];
  };
  out.low = at(tail), out.high = at(1.0 - tail);
  return out;
}

}  // namespace

Expected<Interval> bootstrap_mean(const Scores& x, const BootstrapOptions& o) {
  if (Status st = check_shape(x, "bootstrap"); !st) return Error(st.error());
  return two_way(x, o);
}

Expected<Interval> bootstrap_difference(const Scores& a, const Scores& b, const BootstrapOptions& o) {
  if (Status st = check_shape(a, "bootstrap difference"); !st) return Error(st.error());
  if (Status st = check_shape(b, "bootstrap difference"); !st) return Error(st.error());
  if (a.size() != b.size() || a[0].size() != b[0].size())
    return Error("bootstrap difference: the arms are not paired: " + std::to_string(a.size()) + " seeds x " +
                 std::to_string(a[0].size()) + " problems against " + std::to_string(b.size()) + " x " +
                 std::to_string(b[0].size()));
  Scores d = a;
  for (size_t s = 0; s < a.size(); ++s)
    for (size_t p = 0; p < a[s].size(); ++p) d[s][p] = a[s][p] - b[s][p];
  return two_way(d, o);
}

}  // namespace stepcoder::report
