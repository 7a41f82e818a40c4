// The CCCS splitter: where a canonical solution may be cut into a given prefix and a part the
// model completes. Clang parses each program (prompt + canonical solution) once, the way the
// judge compiles it (<bits/stdc++.h> first, through the coverage instrumenter's cached PCH);
// split points are the lines of statements inside the canonical solution, each cut after the
// line's indentation (newline + indentation is one token, so it stays with the prefix).
//
//   SplitOptions so;  so.kind = "control";  so.max_stages = 6;
//   SplitResult r = split_problems(problems, so);      // one ProblemSplit per problem
//   tasks::Problem stage1 = stage_problem(problems[0], r.problems[0], 1);  // easiest
//   if (!r.unsplit_ids.empty()) warn(r.summary());
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tasks/problem.h"
#include "util/expected.h"

namespace stepcoder::curriculum {

// Split-point kinds (curriculum.split):
//   "control"   the line of each if/for/while/do/switch statement in a function body (StepCoder);
//               an `else if` belongs to its chain and is not a point of its own
//   "statement" the line of every statement directly inside a { } block of a function body
//   "line"      every non-blank line of the canonical solution
bool is_split_kind(const std::string& kind);

struct SplitOptions {
  std::string kind = "control";
  int max_stages = 0;  // 0 = every split point; else keep the max_stages-1 points nearest the end
  int workers = 0;     // parsing threads; 0 = one per core
  // Split points of a whole problem list are kept in one file per (problem texts, kind,
  // Clang version), so resumed runs, ablations and replays skip the parses. "" = no cache.
  std::string cache_dir;
};

// $XDG_CACHE_HOME/stepcoder/splits (or ~/.cache/stepcoder/splits).
std::string default_split_cache_dir();

// How one problem is cut. Stage s of stages(): s < stages() gives the solution up to the s-th
// split point counted from the end; stages() gives none of it (the whole program).
struct ProblemSplit {
  std::vector<size_t> points;  // ascending byte offsets into canonical_solution: the first
                               // byte after a line's indentation, never on the first line
  std::string error;           // why it stays whole: no canonical solution, or Clang's errors
  double parse_ms = 0;

  int stages() const { return static_cast<int>(points.size()) + 1; }
  size_t prefix_bytes(int stage) const;  // bytes of the solution given at `stage` (1-based)
};

struct SplitResult {
  std::vector<ProblemSplit> problems;    // in the order of the input
  int split = 0;                         // problems with at least one split point
  int no_solution = 0;                   // empty canonical solution
  int parse_errors = 0;                  // the program does not parse
  std::vector<std::string> unsplit_ids;  // task ids of the last two groups (kept whole)
  double parse_ms = 0;                   // Clang time summed over problems
  double wall_ms = 0;
  bool cached = false;                   // read from SplitOptions::cache_dir, nothing parsed

  // "2723 problems: 2650 split (mean 3.1 stages), 0 without a solution, 2 do not parse (a/1, b/2)"
  std::string summary() const;
};

// Split points of one problem, uncapped. Errors: no canonical solution, or why it does not parse.
Expected<std::vector<size_t>> find_split_points(const tasks::Problem& p, const std::string& kind);

// The Clang version the points were found with (part of the cache key).
std::string splitter_fingerprint();

// Keeps the max_stages-1 points nearest the end (all when max_stages is 0).
std::vector<size_t> cap_points(std::vector<size_t> points, int max_stages);

// Splits every problem (in parallel); problems that cannot be split come back with no points.
SplitResult split_problems(const std::vector<tasks::Problem>& problems, const SplitOptions& opts);

// The problem as shown at `stage` (clamped to 1..stages): prompt + that stage's prefix.
tasks::Problem stage_problem(const tasks::Problem& p, const ProblemSplit& split, int stage);

}  // namespace stepcoder::curriculum
