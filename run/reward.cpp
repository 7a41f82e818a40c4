// The task reward's arithmetic (see reward.h).
#include "run/reward.h"

#include <algorithm>
#include <set>


namespace stepcoder::run {

using sandbox::Verdict;

double outcome_value(const RewardConfig& c, Verdict v) {
  switch (v) {
    case Verdict::Passed: return c.passed;
    case Verdict::Failed: return c.failed;
    case Verdict::CompileError: return c.compile_error;
    case Verdict::RuntimeError:
    case Verdict::Timeout:
    case Verdict::MemoryLimit:
    case Verdict::OutputLimit:
    case Verdict::Violation: return c.runtime_error;
  }
  return c.compile_error;
}

double adaptive_bonus(const RewardConfig& c, const sandbox::JudgeResult& result) {
  if (!c.adaptive || result.verdict != Verdict::Failed) return 0;
  return c.adaptive_scale * std::clamp(result.pass_ratio, 0.0, 1.0);
}

std::vector<int> token_lines(const std::string& program, size_t completion_start, const Spans& spans) {
  // Line starts of the program, so each byte offset maps to its line by binary search.
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < program.size(); ++i)
    if (program[i] == '\n') starts.push_back(i + 1);
  std::vector<int> lines(spans.size(), 0);
  for (size_t t = 0; t < spans.size(); ++t) {
    const size_t b = completion_start + spans[t].first;
    const size_t e = std::min(program.size(), completion_start + spans[t].second);
    for (size_t i = b; i < e; ++i) {
      const char ch = program[i];
      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') continue;
      lines[t] = static_cast<int>(std::upper_bound(starts.begin(), starts.end(), i) - starts.begin());
      break;
    }
  }
  return lines;
}

std::vector<size_t> error_line_tokens(const sandbox::JudgeResult& result, const std::string& program,
                                      size_t completion_start, const Spans& spans) {
  std::set<int> bad;
  for (const auto& d : result.diagnostics)
    if (d.severity == "error" && !d.in_tests && d.line > 0) bad.insert(d.line);
  for (const auto& t : result.tests)
    if (t.crash_line > 0) bad.insert(t.crash_line);
  std::vector<size_t> hit;
  if (bad.empty()) return hit;
  // The first named line that holds a completion token: errors in the prompt, and the errors
  // that follow from the first one, are not the sample's to answer for.
  const std::vector<int> lines = token_lines(program, completion_start, spans);
  int first = 0;
  for (int line : lines)
    if (line > 0 && bad.count(line) && (first == 0 || line < first)) first = line;
  for (size_t t = 0; t < lines.size(); ++t)
    if (first > 0 && lines[t] == first) hit.push_back(t);
  return hit;
}

double task_reward(const RewardConfig& c, const sandbox::JudgeResult& result, const std::string& program,
                   size_t completion_start, const Spans& spans) {
  if (spans.empty()) return 0;
  double r = c.outcome ? outcome_value(c, result.verdict) : 0.0;
  r += adaptive_bonus(c, result);
  if (c.error_lines)
    r -= c.error_line_penalty *
         static_cast<double>(error_line_tokens(result, program, completion_start, spans).size());
  return r;
}

}  // namespace stepcoder::run
