// Task reward on plain doubles (see task_reward.h); the arithmetic follows trainer/rewards.cpp.
#include "curriculum/task_reward.h"

#include <algorithm>
#include <set>

namespace stepcoder::curriculum {
namespace {

using sandbox::Verdict;

double outcome_value(const RewardParams& p, Verdict v) {
  switch (v) {
    case Verdict::Passed: return p.passed;
    case Verdict::Failed: return p.failed;
    case Verdict::CompileError: return p.compile_error;
    case Verdict::RuntimeError:
    case Verdict::Timeout:
    case Verdict::MemoryLimit:
    case Verdict::OutputLimit:
    case Verdict::Violation: return p.runtime_error;
  }
  return p.compile_error;
}

bool blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

// Tokens whose first non-blank byte lies on a line an error diagnostic or a crash names.
int tokens_on_error_lines(const sandbox::JudgeResult& r, const std::string& program, size_t start,
                          const std::vector<std::pair<size_t, size_t>>& spans) {
  std::set<int> bad;
  for (const auto& d : r.diagnostics)
    if (d.severity == "error" && !d.in_tests && d.line > 0) bad.insert(d.line);
  for (const auto& t : r.tests)
    if (t.crash_line > 0) bad.insert(t.crash_line);
  if (bad.empty()) return 0;
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < program.size(); ++i)
    if (program[i] == '\n') starts.push_back(i + 1);
  int n = 0;
  for (const auto& [b, e] : spans) {
    for (size_t i = start + b; i < std::min(program.size(), start + e); ++i) {
      if (blank(program[i])) continue;
      n += bad.count(static_cast<int>(std::upper_bound(starts.begin(), starts.end(), i) - starts.begin()));
      break;
    }
  }
  return n;
}

}  // namespace

double task_reward(const RewardParams& p, const sandbox::JudgeResult& result, const std::string& program,
                   size_t completion_start, const std::vector<std::pair<size_t, size_t>>& spans) {
  if (spans.empty()) return 0;
  double r = 0;
  if (p.outcome) r += outcome_value(p, result.verdict);
  if (p.adaptive && result.verdict == Verdict::Failed) r += p.adaptive_scale * std::clamp(result.pass_ratio, 0.0, 1.0);
  if (p.error_lines) r -= p.error_line_penalty * tokens_on_error_lines(result, program, completion_start, spans);
  return r;
}

std::vector<std::pair<size_t, size_t>> spans_from_ends(const std::string& token_ends, int tokens,
                                                       size_t completion_size) {
  std::vector<std::pair<size_t, size_t>> spans;
  size_t begin = 0, end = 0;
  bool digits = false;
  for (size_t i = 0; i <= token_ends.size(); ++i) {
    const char ch = i < token_ends.size() ? token_ends[i] : ',';
    if (ch >= '0' && ch <= '9') {
      end = end * 10 + static_cast<size_t>(ch - '0'), digits = true;
    } else if (ch == ',' && digits) {
      spans.emplace_back(begin, std::min(end, completion_size));
      begin = spans.back().second, end = 0, digits = false;
    }
  }
  if (tokens >= 0) spans.resize(static_cast<size_t>(tokens), {completion_size, completion_size});
  return spans;
}

}  // namespace stepcoder::curriculum
