// Stages from split points, and splitting many problems on parallel threads (see splitter.h).
// Where solutions are cut is split_points.cpp.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "curriculum/source.h"
#include "curriculum/splitter.h"
#include "util/files.h"
#include "util/hash.h"
#include "util/jsonl.h"
#include "util/thread_pool.h"

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
  if (cached) s += " (cached)";
  if (!unsplit_ids.empty()) {
    s += " (kept whole:";
    for (size_t i = 0; i < unsplit_ids.size() && i < 10; ++i) s += " " + unsplit_ids[i];
    if (unsplit_ids.size() > 10) s += " and " + std::to_string(unsplit_ids.size() - 10) + " more";
    s += ")";
  }
  return s;
}

std::string default_split_cache_dir() { return cache_home("splits"); }

namespace {

using Clock = std::chrono::steady_clock;

// Bump when the meaning of split points changes, so old cache files are not read.
constexpr const char* kCacheFormat = "cccs-splits-v1";

// Uncapped points (the cap is applied after reading), so one file serves every max_stages.
ProblemSplit split_one(const tasks::Problem& p, const std::string& kind) {
  ProblemSplit s;
  const auto t0 = Clock::now();
  auto points = find_split_points(p, kind);
  s.parse_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (points) s.points = std::move(*points);
  else s.error = points.error();
  return s;
}

std::vector<ProblemSplit> split_parallel(const std::vector<tasks::Problem>& problems, const SplitOptions& opts) {
  std::vector<ProblemSplit> out(problems.size());
  parallel_for(problems.size(), opts.workers, [&](size_t i) { out[i] = split_one(problems[i], opts.kind); });
  return out;
}

std::string cache_path(const std::vector<tasks::Problem>& problems, const SplitOptions& opts) {
  std::string texts;
  for (const auto& p : problems)
    texts += std::to_string(p.prompt.size()) + ":" + p.prompt + std::to_string(p.canonical_solution.size()) + ":" +
             p.canonical_solution;
  return opts.cache_dir + "/" + hash_hex({kCacheFormat, splitter_fingerprint(), opts.kind, texts}) + ".json";
}

bool read_cache(const std::string& path, size_t n, std::vector<ProblemSplit>* out) {
  if (!file_exists(path)) return false;
  auto text = read_file(path);
  if (!text) return false;
  Json j = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j["points"].is_array() || !j["errors"].is_array() || j["points"].size() != n ||
      j["errors"].size() != n)
    return false;
  out->assign(n, ProblemSplit{});
  for (size_t i = 0; i < n; ++i) {
    for (const Json& v : j["points"][i])
      if (v.is_number_unsigned()) (*out)[i].points.push_back(v.get<size_t>());
    if (j["errors"][i].is_string()) (*out)[i].error = j["errors"][i].get<std::string>();
  }
  return true;
}

// Best effort: a cache that cannot be written only costs the next run its parses.
void write_cache(const std::string& path, const std::string& dir, const std::vector<ProblemSplit>& splits) {
  Json j = {{"points", Json::array()}, {"errors", Json::array()}};
  for (const auto& s : splits) j["points"].push_back(s.points), j["errors"].push_back(s.error);
  if (make_dirs(dir).ok()) (void)write_file_atomic(path, j.dump());
}

}  // namespace

SplitResult split_problems(const std::vector<tasks::Problem>& problems, const SplitOptions& opts) {
  const auto t0 = Clock::now();
  SplitResult r;
  const std::string path = opts.cache_dir.empty() ? "" : cache_path(problems, opts);
  r.cached = !path.empty() && read_cache(path, problems.size(), &r.problems);
  if (!r.cached) {
    r.problems = split_parallel(problems, opts);
    if (!path.empty()) write_cache(path, opts.cache_dir, r.problems);
  }
  for (size_t i = 0; i < problems.size(); ++i) {
    ProblemSplit& s = r.problems[i];
    s.points = cap_points(std::move(s.points), opts.max_stages);
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
