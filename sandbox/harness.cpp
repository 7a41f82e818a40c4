// Assert-style harness and output comparison: see harness.h.
#include "sandbox/harness.h"

#include <regex>
#include <vector>

#include "sandbox/compiler.h"
#include "sandbox/judge.h"

namespace stepcoder::sandbox {

namespace {

// Placed after the program. Names are reserved identifiers (double underscore), which a
// conforming program may not define. Reports go through raw system calls so a program that
// defines write() or exit() of its own cannot intercept them. Protocol on kReportFd:
// "P\n" per passed check, "F<line> <text>\n" per failed one, "X<what>\n" for an escaping
// exception, "R<rc>\n" for test main's return value, then the nonce.
constexpr const char* kHarnessHead = R"HARNESS(
#line 1 "harness"
#include <cstring>
#include <exception>
#include <type_traits>
namespace __stepcoder_h {
inline long __sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
}
inline void __put(const char* s) { __sys3(1, 3, (long)s, (long)std::strlen(s)); }
inline void __check(bool ok, int line, const char* text) {
  if (ok) { __put("P\n"); return; }
  char buf[320];
  int n = 0;
  buf[n++] = 'F';
  char digits[16]; int d = 0;
  for (unsigned v = line > 0 ? line : 0; d == 0 || v; v /= 10) digits[d++] = char('0' + v % 10);
  while (d) buf[n++] = digits[--d];
  buf[n++] = ' ';
  for (const char* p = text; *p && n < 316; ++p) buf[n++] = (*p == '\n' ? ' ' : *p);
  buf[n++] = '\n'; buf[n] = 0;
  __put(buf);
}
template <class F> int __invoke(F* f, int argc, char** argv) {
  if constexpr (std::is_invocable_v<F*, int, char**>) return f(argc, argv);
  else return f();
}
}  // namespace __stepcoder_h
#undef assert
#undef __stepcoder_check
#undef __stepcoder_fail
#define __stepcoder_check(...) ::__stepcoder_h::__check(static_cast<bool>(__VA_ARGS__), __LINE__, #__VA_ARGS__)
#define __stepcoder_fail(...) ::__stepcoder_h::__check(false, __LINE__, "test case failed")
#undef main
#define main __stepcoder_test_main
)HARNESS";

constexpr const char* kHarnessTail = R"HARNESS(
#line 1 "harness"
#undef main
int main(int argc, char** argv) {
  int rc = 0;
  try {
    rc = ::__stepcoder_h::__invoke(&__stepcoder_test_main, argc, argv);
  } catch (const std::exception& e) {
    ::__stepcoder_h::__put("X");
    ::__stepcoder_h::__put(e.what());
    ::__stepcoder_h::__put("\n");
    return 1;
  } catch (...) {
    ::__stepcoder_h::__put("X(non-standard exception)\n");
    return 1;
  }
  char buf[32] = "R";
  int n = 1;
  unsigned v = rc < 0 ? 1000u : unsigned(rc);
  char digits[16]; int d = 0;
  for (; d == 0 || v; v /= 10) digits[d++] = char('0' + v % 10);
  while (d) buf[n++] = digits[--d];
  buf[n++] = '\n'; buf[n] = 0;
  ::__stepcoder_h::__put(buf);
  if (argc > 1) { ::__stepcoder_h::__put(argv[1]); ::__stepcoder_h::__put("\n"); }
  return 0;
}
)HARNESS";

}  // namespace

AssembledTests assemble_assert_tests(const std::string& program, const std::string& test_code) {
  // Checks become counted calls. `assert` as a whole word followed by '(' (not assert.h);
  // MBXP reports a failed case by throwing runtime_error.
  static const std::regex assert_re(R"(\bassert\s*\()");
  static const std::regex throw_re(R"(\bthrow\s+(std::)?runtime_error\s*\()");
  AssembledTests out;
  std::string code = test_code;
  auto count = [](const std::string& s, const std::regex& re) {
    return static_cast<int>(std::distance(std::sregex_iterator(s.begin(), s.end(), re),
                                          std::sregex_iterator()));
  };
  out.static_checks = count(code, assert_re);
  code = std::regex_replace(code, assert_re, "__stepcoder_check(");
  int throws = count(code, throw_re);
  code = std::regex_replace(code, throw_re, "__stepcoder_fail(");
  // An MBXP case is one check: its success is the absence of the failure call.
  out.static_checks += throws;
  out.source = program;
  if (!out.source.empty() && out.source.back() != '\n') out.source += '\n';
  out.source += kHarnessHead;
  out.source += std::string("#line 1 \"") + kTestsFile + "\"\n";
  out.source += code;
  out.source += kHarnessTail;
  return out;
}

HarnessReport parse_report(const std::string& bytes, const std::string& nonce) {
  HarnessReport r;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string::npos) break;  // a torn last line is ignored
    std::string line = bytes.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    switch (line[0]) {
      case 'P': ++r.passed; break;
      case 'F':
        ++r.failed;
        if (r.first_failure.empty()) r.first_failure = std::string(kTestsFile) + ":" + line.substr(1);
        break;
      case 'X':
        r.exception = true;
        if (r.first_failure.empty()) r.first_failure = "exception: " + line.substr(1);
        break;
      case 'R': r.test_main_rc = std::atoi(line.c_str() + 1); break;
      default:
        if (!nonce.empty() && line == nonce) r.completed = true;
    }
  }
  return r;
}

static std::vector<std::string> normalized_lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t nl = s.find('\n', pos);
    std::string line = s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    size_t end = line.find_last_not_of(" \t\r");
    lines.push_back(end == std::string::npos ? "" : line.substr(0, end + 1));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

bool outputs_match(const std::string& got, const std::string& expected) {
  return normalized_lines(got) == normalized_lines(expected);
}

}  // namespace stepcoder::sandbox
