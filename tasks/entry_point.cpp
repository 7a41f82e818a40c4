// Entry points found in program text (see entry_point.h).
#include "tasks/entry_point.h"

#include <algorithm>
#include <regex>
#include <utility>
#include <vector>

#include "tasks/problem.h"

namespace stepcoder::tasks {

namespace {

// Which bytes of `code` lie in comments or string and character literals: prompts show calls
// of the entry point in their docstrings, before the declaration or inside its body.
std::vector<bool> commented(const std::string& code) {
  std::vector<bool> in(code.size(), false);
  for (size_t i = 0; i < code.size();) {
    size_t end = i + 1;
    if (code.compare(i, 2, "//") == 0) {
      end = code.find('\n', i);
    } else if (code.compare(i, 2, "/*") == 0) {
      end = code.find("*/", i + 2);
      if (end != std::string::npos) end += 2;
    } else if (code[i] == '"' || code[i] == '\'') {
      for (end = i + 1; end < code.size() && code[end] != code[i] && code[end] != '\n'; ++end)
        if (code[end] == '\\') ++end;
      ++end;
    } else {
      ++i;
      continue;
    }
    end = std::min(end, code.size());
    std::fill(in.begin() + static_cast<long>(i), in.begin() + static_cast<long>(end), true);
    i = end;
  }
  return in;
}

// [line start, end) of the declaration of `entry_point` in `code`, or {npos, npos}.
std::pair<size_t, size_t> declaration_span(const std::string& code, const std::string& entry_point) {
  const auto none = std::make_pair(std::string::npos, std::string::npos);
  if (entry_point.empty()) return none;
  std::regex head("(^|[^A-Za-z0-9_])" + entry_point + R"(\s*\()");
  std::vector<bool> skip = commented(code);
  size_t at = std::string::npos;
  for (std::sregex_iterator it(code.begin(), code.end(), head), end; it != end; ++it) {
    size_t name = static_cast<size_t>(it->position(0)) + (*it)[1].length();
    if (!skip[name]) at = name;
  }
  if (at == std::string::npos) return none;
  size_t line_start = code.rfind('\n', at);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  int depth = 0;
  for (size_t i = code.find('(', at); i < code.size(); ++i) {
    if (code[i] == '(') ++depth;
    if (code[i] == ')' && --depth == 0) return {line_start, i + 1};
  }
  return none;
}

}  // namespace

std::string declaration_of(const std::string& code, const std::string& entry_point) {
  auto [begin, end] = declaration_span(code, entry_point);
  return begin == std::string::npos ? "" : code.substr(begin, end - begin);
}

sandbox::EntryPoint entry_point_of(const std::string& prompt, const std::string& entry_point) {
  sandbox::EntryPoint e;
  auto [begin, end] = declaration_span(prompt, entry_point);
  if (begin == std::string::npos) return e;
  e.name = entry_point;
  e.declaration = prompt.substr(begin, end - begin);
  e.context = prompt.substr(0, begin);
  return e;
}

sandbox::Tests Problem::judged_tests() const {
  sandbox::Tests t = tests;
  if (t.kind == sandbox::Tests::Kind::Assert && t.entry.name.empty())
    t.entry = entry_point_of(prompt, entry_point);
  return t;
}

}  // namespace stepcoder::tasks
