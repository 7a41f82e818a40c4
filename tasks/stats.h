// Statistics of a problem set, for `stepcoder tasks stats` and the suite's documentation:
// counts per family, difficulty, split and held-out kind; tests per problem; reference
// solution lengths in lines and whitespace-separated tokens.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tasks/problem.h"
#include "util/jsonl.h"

namespace stepcoder::tasks {

struct Summary {
  int count = 0;
  double mean = 0;
  double median = 0;
  int min = 0;
  int max = 0;
};
Summary summarize(std::vector<int> values);

struct ProblemStats {
  int problems = 0;
  int function_level = 0;  // assert-style tests
  int stdin_stdout = 0;    // io tests
  int without_solution = 0;
  std::map<std::string, int> per_family, per_difficulty, per_split, per_holdout;
  Summary tests;           // io cases, or assert checks in the test code
  Summary solution_lines;  // non-blank lines of canonical_solution
  Summary solution_tokens; // whitespace-separated tokens of canonical_solution
};

// Checks in assert-style test code: `assert(` sites and MBXP's `throw runtime_error(`.
int count_checks(const std::string& test_code);
ProblemStats compute_stats(const std::vector<Problem>& problems);
Json stats_to_json(const ProblemStats& s);
std::string stats_to_text(const ProblemStats& s);

}  // namespace stepcoder::tasks
