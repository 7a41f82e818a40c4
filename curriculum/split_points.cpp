// Split points (see splitter.h): the statement starts Clang finds (coverage/statements.h), moved
// to line starts past the indentation, inside the solution.
#include <set>

#include "coverage/statements.h"
#include "curriculum/splitter.h"

namespace stepcoder::curriculum {
namespace {

// The first byte after the indentation of the line starting at `line`. The indentation goes
// with the given prefix because the tokenizer reads a newline and the indentation after it as
// one token: a prompt cut at the line start would end on a bare newline, which the model only
// ever sees at the end of a function signature, not inside a body (measured: 0 of 64 stage-1
// completions passed with such prompts).
size_t past_indent(const std::string& text, size_t line) {
  while (line < text.size() && (text[line] == ' ' || text[line] == '\t')) ++line;
  return line;
}

// Solution offsets of the lines that hold `offsets` (program offsets), past their indentation,
// inside the solution and after its first line (a cut there would give the whole program again).
std::vector<size_t> line_points(const tasks::Problem& p, const std::string& program, const std::vector<size_t>& offsets) {
  std::set<size_t> points;
  for (size_t off : offsets) {
    size_t nl = off == 0 ? std::string::npos : program.rfind('\n', off - 1);
    size_t line = nl == std::string::npos ? 0 : nl + 1;
    if (line > p.prompt.size() && line < program.size()) points.insert(past_indent(program, line) - p.prompt.size());
  }
  return {points.begin(), points.end()};
}

// Every non-blank line of the solution after its first, past its indentation.
std::vector<size_t> text_lines(const std::string& solution) {
  std::vector<size_t> points;
  for (size_t i = 0; i + 1 < solution.size(); ++i) {
    if (solution[i] != '\n') continue;
    size_t end = solution.find('\n', i + 1);
    std::string line = solution.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
    if (line.find_first_not_of(" \t\r") != std::string::npos) points.push_back(past_indent(solution, i + 1));
  }
  return points;
}

}  // namespace

// The point convention is part of it, so caches of line-start points are not reused.
std::string splitter_fingerprint() { return coverage::front_end_version() + "; points past the indentation"; }

Expected<std::vector<size_t>> find_split_points(const tasks::Problem& p, const std::string& kind) {
  if (!is_split_kind(kind)) return Error("unknown split kind '" + kind + "' (control, statement or line)");
  if (p.canonical_solution.empty()) return Error("no canonical solution");
  const std::string program = p.canonical_program();
  // Every kind parses, so the problems that get a curriculum are the same whichever kind an
  // ablation picks.
  auto offsets = coverage::statement_starts(
      program, kind == "control" ? coverage::StatementKind::Control : coverage::StatementKind::Any);
  if (!offsets) return Error("does not parse: " + offsets.error());
  if (kind == "line") return text_lines(p.canonical_solution);
  return line_points(p, program, *offsets);
}

}  // namespace stepcoder::curriculum
