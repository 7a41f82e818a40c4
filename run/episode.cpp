// Judging one episode; line marks and text columns of stored episodes (see episode.h).
#include "run/episode.h"

#include <chrono>

#include "coverage/token_mask.h"

namespace stepcoder::run {

namespace {

bool blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

}  // namespace

std::string line_marks(const std::string& program, const coverage::CoverageResult* cov,
                       const sandbox::JudgeResult& result) {
  std::vector<coverage::ByteState> states;
  if (cov && cov->available) states = coverage::byte_states(cov->instrumented, cov->merged);
  std::string marks;
  char mark = '.';
  for (size_t i = 0; i <= program.size(); ++i) {
    if (i == program.size() || program[i] == '\n') {
      if (i < program.size() || i == 0 || program[i - 1] != '\n') marks += mark;
      mark = '.';
      continue;
    }
    if (blank(program[i]) || i >= states.size()) continue;
    if (states[i] == coverage::ByteState::Run) mark = '+';
    else if (states[i] == coverage::ByteState::NotRun && mark == '.') mark = '-';
  }
  auto flag = [&](int line) {
    if (line > 0 && static_cast<size_t>(line) <= marks.size()) marks[line - 1] = '!';
  };
  for (const auto& d : result.diagnostics)
    if (d.severity == "error" && !d.in_tests) flag(d.line);
  for (const auto& t : result.tests) flag(t.crash_line);
  return marks;
}

JudgedEpisode judge_episode(sandbox::Judge& judge, const tasks::Problem& problem, const std::string& completion,
                            const Spans& spans, bool fgo) {
  const auto t0 = std::chrono::steady_clock::now();
  JudgedEpisode j;
  j.executed.assign(spans.size(), 1);
  sandbox::JudgeRequest req = problem.request(completion);
  coverage::CoverageResult cov;
  j.result = fgo ? coverage::judge_with_coverage(judge, req, &cov) : judge.judge(req);
  if (cov.available && j.result.verdict != sandbox::Verdict::CompileError) {
    j.executed = coverage::token_mask(cov.instrumented, cov.merged, problem.prompt.size(), spans);
    j.executed.resize(spans.size(), 1);
    j.coverage = true;
  }
  j.lines = line_marks(req.program, j.coverage ? &cov : nullptr, j.result);
  j.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return j;
}

}  // namespace stepcoder::run
