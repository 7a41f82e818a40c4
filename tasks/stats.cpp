// Problem set statistics: see stats.h.
#include "tasks/stats.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace stepcoder::tasks {

Summary summarize(std::vector<int> values) {
  Summary s;
  s.count = static_cast<int>(values.size());
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  long long total = 0;
  for (int v : values) total += v;
  s.mean = static_cast<double>(total) / static_cast<double>(values.size());
  size_t mid = values.size() / 2;
  s.median = values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
  s.min = values.front();
  s.max = values.back();
  return s;
}

static int count_occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
  return n;
}

int count_checks(const std::string& test_code) {
  // "assert (" in HumanEval-X has a space; static_assert is not a run-time check.
  int asserts = count_occurrences(test_code, "assert(") + count_occurrences(test_code, "assert (") -
                count_occurrences(test_code, "static_assert(");
  return asserts + count_occurrences(test_code, "throw runtime_error(");
}

static void lengths(const std::string& code, int* lines, int* tokens) {
  *lines = 0;
  *tokens = 0;
  std::istringstream in(code);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++*lines;
  }
  std::istringstream words(code);
  std::string w;
  while (words >> w) ++*tokens;
}

ProblemStats compute_stats(const std::vector<Problem>& problems) {
  ProblemStats s;
  std::vector<int> tests, lines, tokens;
  for (const Problem& p : problems) {
    ++s.problems;
    bool io = p.tests.kind == sandbox::Tests::Kind::Io;
    ++(io ? s.stdin_stdout : s.function_level);
    ++s.per_family[p.family.empty() ? "(none)" : p.family];
    ++s.per_difficulty[p.difficulty.empty() ? "(none)" : p.difficulty];
    ++s.per_split[p.split.empty() ? "(none)" : p.split];
    if (!p.holdout.empty()) ++s.per_holdout[p.holdout];
    tests.push_back(io ? static_cast<int>(p.tests.cases.size()) : count_checks(p.tests.code));
    if (p.canonical_solution.empty()) {
      ++s.without_solution;
      continue;
    }
    int l = 0, t = 0;
    lengths(p.canonical_solution, &l, &t);
    lines.push_back(l);
    tokens.push_back(t);
  }
  s.tests = summarize(tests);
  s.solution_lines = summarize(lines);
  s.solution_tokens = summarize(tokens);
  return s;
}

static Json summary_json(const Summary& s) {
  return {{"count", s.count}, {"mean", s.mean}, {"median", s.median}, {"min", s.min}, {"max", s.max}};
}

Json stats_to_json(const ProblemStats& s) {
  return {{"problems", s.problems},
          {"function_level", s.function_level},
          {"stdin_stdout", s.stdin_stdout},
          {"without_solution", s.without_solution},
          {"families", s.per_family.size()},
          {"per_family", s.per_family},
          {"per_difficulty", s.per_difficulty},
          {"per_split", s.per_split},
          {"per_holdout", s.per_holdout},
          {"tests", summary_json(s.tests)},
          {"solution_lines", summary_json(s.solution_lines)},
          {"solution_tokens", summary_json(s.solution_tokens)}};
}

static std::string summary_text(const char* what, const Summary& s) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%-16s median %.1f  mean %.1f  min %d  max %d\n", what, s.median,
                s.mean, s.min, s.max);
  return buf;
}

static std::string counts_text(const char* what, const std::map<std::string, int>& m) {
  std::string out = std::string(what) + ":";
  for (const auto& [k, v] : m) out += " " + k + "=" + std::to_string(v);
  return out + "\n";
}

std::string stats_to_text(const ProblemStats& s) {
  std::string out = std::to_string(s.problems) + " problems (" + std::to_string(s.function_level) +
                    " function-level, " + std::to_string(s.stdin_stdout) + " stdin/stdout), " +
                    std::to_string(s.per_family.size()) + " families\n";
  if (s.without_solution) out += std::to_string(s.without_solution) + " without a reference solution\n";
  out += counts_text("splits", s.per_split);
  out += counts_text("difficulty", s.per_difficulty);
  if (!s.per_holdout.empty()) out += counts_text("held out", s.per_holdout);
  out += summary_text("tests", s.tests);
  out += summary_text("solution lines", s.solution_lines);
  out += summary_text("solution tokens", s.solution_tokens);
  out += "families:\n";
  for (const auto& [k, v] : s.per_family) out += "  " + k + " " + std::to_string(v) + "\n";
  return out;
}

}  // namespace stepcoder::tasks
