// The task reward (see reward.h): its configuration keys and its arithmetic.
#include "run/reward.h"

#include <algorithm>
#include <set>

#include "util/config.h"

namespace stepcoder::run {

using sandbox::Verdict;

void describe(RewardConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".outcome", &c.outcome, "outcome reward by verdict on the last token (CodeRL)");
  s.add(p + ".compile_error", &c.compile_error, "reward of a compile error").range(-100, 100);
  s.add(p + ".runtime_error", &c.runtime_error, "reward of a crash, timeout, memory/output limit or violation").range(-100, 100);
  s.add(p + ".failed", &c.failed, "reward when some test failed").range(-100, 100);
  s.add(p + ".passed", &c.passed, "reward when every test passed").range(-100, 100);
  s.add(p + ".adaptive", &c.adaptive, "RLTF adaptive: failed programs earn adaptive_scale * pass_ratio more");
  s.add(p + ".adaptive_scale", &c.adaptive_scale, "weight of the pass ratio in the adaptive reward").range(0, 100);
  s.add(p + ".error_lines", &c.error_lines, "RLTF fine-grained: penalize tokens on error or crash lines");
  s.add(p + ".error_line_penalty", &c.error_line_penalty, "penalty per token on such a line").range(0, 100);
  s.add(p + ".kl", &c.kl, "per-token KL penalty against the reference policy");
  s.add(p + ".kl_coef", &c.kl_coef, "KL coefficient (initial value when adaptive)").range(0, 100);
  s.add(p + ".kl_adaptive", &c.kl_adaptive, "move kl_coef so the KL per completion tracks kl_target");
  s.add(p + ".kl_target", &c.kl_target, "target KL per completion (nats)").range(1e-6, 1e6);
  s.add(p + ".kl_horizon", &c.kl_horizon, "completions over which kl_coef may change by e^0.2").range(1, 1e12);
}

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
  const std::vector<int> lines = token_lines(program, completion_start, spans);
  for (size_t t = 0; t < lines.size(); ++t)
    if (lines[t] > 0 && bad.count(lines[t])) hit.push_back(t);
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

Spans spans_from_ends(const std::string& token_ends, int tokens, size_t completion_size) {
  Spans spans;
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

}  // namespace stepcoder::run
