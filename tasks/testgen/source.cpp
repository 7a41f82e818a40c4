// Printer programs, their output, original test calls and generated test code: see
// testgen_source.h.
#include "tasks/testgen/source.h"

#include <cstdlib>
#include <regex>

namespace stepcoder::tasks {

namespace {

// Makes a temporary usable where a parameter is a non-const reference; the temporary lives
// until the end of the full expression, which contains the whole call.
constexpr const char* kLvalueHelper = "template <class T> T& stepcoder_lvalue(T&& v) { return v; }\n";

constexpr const char* kNearHelpers = R"(inline bool stepcoder_near(double a, double b) {
  return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b));
}
template <class T> bool stepcoder_near(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!stepcoder_near(a[i], b[i])) return false;
  }
  return true;
}
)";

constexpr const char* kMarker = "\n@@stepcoder ";

bool has_float(const TypeSpec& t) {
  return t.kind == TypeSpec::Kind::Float || (t.kind == TypeSpec::Kind::Vector && has_float(t.elem[0]));
}

}  // namespace

std::string printer_program(const std::string& program, const TypeSpec& ret,
                            const std::vector<std::string>& calls) {
  std::string src = program;
  if (!src.empty() && src.back() != '\n') src += '\n';
  src += "\n#include <cstdio>\n#include <string>\n#include <vector>\n";
  src += kLvalueHelper;
  src += printer_functions(ret);
  src += "static void stepcoder_emit(int c, const std::string& o) {\n"
         "  std::printf(\"\\n@@stepcoder %d %zu\\n\", c, o.size());\n"
         "  std::fwrite(o.data(), 1, o.size(), stdout);\n"
         "  std::fflush(stdout);\n}\n";
  src += "int main() {\n  int start = 0;\n  if (std::scanf(\"%d\", &start) != 1) start = 0;\n";
  src += "  for (int c = start; c < " + std::to_string(calls.size()) + "; ++c) {\n";
  src += "    std::string o;\n    switch (c) {\n";
  for (size_t k = 0; k < calls.size(); ++k) {
    src += "      case " + std::to_string(k) + ": stepcoder_print_0(o, " + calls[k] + "); break;\n";
  }
  src += "    }\n    stepcoder_emit(c, o);\n  }\n";
  src += "  std::printf(\"\\n@@stepcoder end\\n\");\n  return 0;\n}\n";
  return src;
}

PrinterOutput parse_printer_output(const std::string& text) {
  PrinterOutput out;
  const std::string marker = kMarker;
  for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at)) {
    size_t head = at + marker.size();
    size_t nl = text.find('\n', head);
    if (nl == std::string::npos) break;  // a torn record at the end
    std::string fields = text.substr(head, nl - head);
    if (fields == "end") {
      out.finished = true;
      break;
    }
    char* end = nullptr;
    long index = std::strtol(fields.c_str(), &end, 10);
    char* end2 = nullptr;
    unsigned long long len = std::strtoull(end, &end2, 10);
    if (end == fields.c_str() || *end2 || index < 0 || nl + 1 + len > text.size()) {
      at = head;  // not one of ours (or torn): look further
      continue;
    }
    out.payloads[static_cast<int>(index)] = text.substr(nl + 1, len);
    out.last = std::max(out.last, static_cast<int>(index));
    at = nl + 1 + len;
  }
  return out;
}

namespace {

// The index just past the parenthesis that closes the one at `open`, skipping string and
// character literals; npos when unbalanced.
size_t close_paren(const std::string& s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      for (++i; i < s.size() && s[i] != c; ++i) {
        if (s[i] == '\\') ++i;
      }
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return i + 1;
  }
  return std::string::npos;
}

}  // namespace

std::vector<std::string> original_calls(const std::string& test_code, const std::string& entry_point,
                                        size_t max) {
  std::vector<std::string> calls;
  if (entry_point.empty()) return calls;
  std::regex head("(^|[^A-Za-z0-9_.>:])" + entry_point + R"(\s*\()");
  size_t resume = 0;
  for (std::sregex_iterator it(test_code.begin(), test_code.end(), head), end; it != end; ++it) {
    size_t start = static_cast<size_t>(it->position(0)) + (*it)[1].length();
    if (start < resume) continue;  // inside the previous call's arguments
    size_t open = test_code.find('(', start);
    size_t close = close_paren(test_code, open);
    if (close == std::string::npos) break;
    calls.push_back(test_code.substr(start, close - start));
    resume = close;
    if (calls.size() >= max) break;
  }
  return calls;
}

Expected<std::string> assemble_test_code(const std::vector<Check>& checks, const TypeSpec& ret,
                                         const sandbox::Tests& original) {
  std::string code = "// Generated tests: expected values computed by the reference solution.\n";
  code += kLvalueHelper;
  if (has_float(ret)) code += kNearHelpers;
  code += "void stepcoder_generated_tests() {\n";
  for (const Check& c : checks) {
    std::string expected = cpp_literal(c.expected, ret);
    code += has_float(ret) ? "    assert(stepcoder_near(" + c.call + ", " + expected + "));\n"
                           : "    assert(" + c.call + " == " + expected + ");\n";
  }
  code += "}\n";
  if (original.kind == sandbox::Tests::Kind::Io) {
    return code + "int main() {\n    stepcoder_generated_tests();\n    return 0;\n}\n";
  }
  static const std::regex main_re(R"(\bint\s+main\s*\([^)]*\)\s*\{)");
  std::smatch m;
  if (!std::regex_search(original.code, m, main_re)) {
    return Error("the original tests have no 'int main(...) {' to call the generated tests from");
  }
  size_t body = static_cast<size_t>(m.position(0) + m.length(0));
  return code + original.code.substr(0, body) + "\n    stepcoder_generated_tests();" +
         original.code.substr(body);
}

}  // namespace stepcoder::tasks
