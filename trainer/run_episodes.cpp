// Line marks and text columns of stored episodes (see run_episodes.h).
#include "trainer/run_episodes.h"

#include "coverage/token_mask.h"

namespace stepcoder::trainer {

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

std::string mask_text(const std::vector<uint8_t>& mask) {
  std::string s;
  for (uint8_t m : mask) s += m ? '1' : '0';
  return s;
}

std::string join_ints(const std::vector<int>& values) {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) s += (i ? "," : "") + std::to_string(values[i]);
  return s;
}

}  // namespace stepcoder::trainer
