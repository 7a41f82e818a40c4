// Stages from split points, and splitting many problems on parallel threads (see splitter.h).
// The Clang part lives in splitter_clang.cpp.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "curriculum/source.h"
#include "curriculum/splitter.h"

namespace stepcoder::curriculum {

bool is_split_kind(const std::string& kind) { return kind == "control" || kind == "statement" || kind == "line"; }

size_t ProblemSplit::prefix_bytes(int stage) const {
  const int n = static_cast<int>(points.size());
  stage = std::clamp(stage, 1, n + 1);
  return stage > n ? 0 : points[n - stage];
}

std::vector<size_t> cap_points(std::vector<size_t> points, int max_stages) {
  if (max_stages <= 0 || points.size() < static_cast<size_t>(max_stages)) return points;
  points.erase(points.begin(), points.end() - (max_stages - 1));
  return points;
}

std::string SplitResult::summary() const {
  const int n = static_cast<int>(problems.size());
  double stages = 0;
  for (const ProblemSplit& s : problems)
    if (s.stages() > 1) stages += s.stages();
  char head[200];
  std::snprintf(head, sizeof head, "%d problems: %d split (mean %.2f stages), %d without a canonical solution, %d do not parse",
                n, split, split ? stages / split : 0.0, no_solution, parse_errors);
  std::string s = head;
  if (!unsplit_ids.empty()) {
    s += " (kept whole:";
    for (size_t i = 0; i < unsplit_ids.size() && i < 10; ++i) s += " " + unsplit_ids[i];
    if (unsplit_ids.size() > 10) s += " and " + std::to_string(unsplit_ids.size() - 10) + " more";
    s += ")";
  }
  return s;
}

namespace {

using Clock = std::chrono::steady_clock;

ProblemSplit split_one(const tasks::Problem& p, const SplitOptions& opts) {
  ProblemSplit s;
  const auto t0 = Clock::now();
  auto points = find_split_points(p, opts.kind);
  s.parse_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (points) s.points = cap_points(std::move(*points), opts.max_stages);
  else s.error = points.error();
  return s;
}

}  // namespace

SplitResult split_problems(const std::vector<tasks::Problem>& problems, const SplitOptions& opts) {
  const auto t0 = Clock::now();
  SplitResult r;
  r.problems.resize(problems.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < problems.size();) r.problems[i] = split_one(problems[i], opts);
  };
  unsigned n = opts.workers > 0 ? static_cast<unsigned>(opts.workers) : std::max(1u, std::thread::hardware_concurrency());
  n = std::min<unsigned>(n, static_cast<unsigned>(std::max<size_t>(1, problems.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < problems.size(); ++i) {
    const ProblemSplit& s = r.problems[i];
    r.parse_ms += s.parse_ms;
    if (s.stages() > 1) ++r.split;
    if (s.error.empty()) continue;
    (problems[i].canonical_solution.empty() ? r.no_solution : r.parse_errors) += 1;
    r.unsplit_ids.push_back(problems[i].task_id);
  }
  r.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  return r;
}

tasks::Problem stage_problem(const tasks::Problem& p, const ProblemSplit& split, int stage) {
  return with_prefix(p, split.prefix_bytes(stage));
}

}  // namespace stepcoder::curriculum
