// Check rewriting, report records and the in-process fallback harness: see harness.h.
#include "sandbox/harness.h"

#include <cstdint>
#include <regex>

#include "sandbox/compiler.h"
#include "sandbox/spawn.h"

namespace stepcoder::sandbox {

namespace {

// Names are reserved identifiers (double underscore), which a conforming program may not
// define. Records are written with raw system calls and lengths counted by hand: a program that
// defines write(), strlen() or memcpy() of its own reaches nothing here.
constexpr const char* kRawSyscalls = R"HARNESS(
namespace __sc_sys {
inline long sys3(long n, long a, long b, long c) {
#if defined(__x86_64__)
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
#else
#error "the judge's harness speaks x86-64 system calls"
#endif
}
[[noreturn]] inline void exit_now(int code) {
  for (;;) sys3(231, code, 0, 0);  // exit_group
}
}
)HARNESS";

constexpr const char* kReportRuntime = R"HARNESS(
namespace __sc_rep {
using ::__sc_sys::sys3;
inline unsigned long len(const char* s) { unsigned long n = 0; while (s[n]) ++n; return n; }
inline void out(const char* p, unsigned long n) {
  while (n > 0) {
    long k = sys3(1, 3, (long)p, (long)n);
    if (k == -4) continue;  // EINTR
    if (k <= 0) return;
    p += k; n -= (unsigned long)k;
  }
}
inline void record(char type, const char* p, unsigned long n) {
  char buf[512];
  char head[5] = {type, (char)(n & 255), (char)((n >> 8) & 255), (char)((n >> 16) & 255), (char)((n >> 24) & 255)};
  if (n > sizeof buf - 5) {
    out(head, 5);
    out(p, n);
    return;
  }
  for (int i = 0; i < 5; ++i) buf[i] = head[i];
  for (unsigned long i = 0; i < n; ++i) buf[5 + i] = p[i];
  out(buf, 5 + n);  // one write a record
}
inline void check(bool ok, unsigned site, int line, const char* text) {
  char buf[400];
  unsigned long n = 0;
  for (int i = 0; i < 4; ++i) buf[n++] = (char)((site >> (8 * i)) & 255);
  if (!ok) {
    char digits[16]; int d = 0;
    for (unsigned v = line > 0 ? (unsigned)line : 0u; d == 0 || v; v /= 10) digits[d++] = (char)('0' + v % 10);
    while (d) buf[n++] = digits[--d];
    buf[n++] = ' ';
    for (const char* p = text; *p && n < sizeof buf; ++p) buf[n++] = *p;
  }
  record(ok ? 'P' : 'F', buf, n);
}
inline int invoke(int (*f)(), int, char**) { return f(); }
inline int invoke(int (*f)(int, char**), int argc, char** argv) { return f(argc, argv); }
}  // namespace __sc_rep
)HARNESS";

constexpr const char* kPrologue = R"HARNESS(
#undef assert
#undef __stepcoder_check
#undef __stepcoder_fail
#define __stepcoder_check(site, ...) ::__sc_rep::check(static_cast<bool>(__VA_ARGS__), site, __LINE__, #__VA_ARGS__)
#define __stepcoder_fail(site, ...) ::__sc_rep::check(false, site, __LINE__, "test case failed")
#undef main
#define main __stepcoder_test_main
)HARNESS";

// The test code's main() is an ordinary function here, so one that falls off its end
// (HumanEval-X's do) returns an indeterminate value: it is not judged.
constexpr const char* kEpilogueHead = R"HARNESS(
#line 1 "harness"
#undef main
int main(int argc, char** argv) {
  try {
    ::__sc_rep::invoke(&__stepcoder_test_main, argc, argv);
  } catch (const std::exception& e) {
    ::__sc_rep::record('X', e.what(), ::__sc_rep::len(e.what()));
    return 1;
  } catch (...) {
    ::__sc_rep::record('X', "(non-standard exception)", 24);
    return 1;
  }
)HARNESS";

// In process: the secret is read only now, after the test code returned.
constexpr const char* kSecretCompletion = R"HARNESS(
  char secret[64];
  long n = ::__sc_rep::sys3(0, 7, (long)secret, (long)sizeof secret);
  ::__sc_rep::record('D', secret, n > 0 ? (unsigned long)n : 0ul);
)HARNESS";

uint32_t read_u32(const std::string& b, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

CheckedCode rewrite_checks(const std::string& test_code) {
  // `assert` as a whole word followed by '(' (not assert.h); MBXP reports a failed case by
  // throwing runtime_error. Sites are numbered asserts first, then throws.
  static const std::regex assert_re(R"(\bassert\s*\()");
  static const std::regex throw_re(R"(\bthrow\s+(std::)?runtime_error\s*\()");
  CheckedCode out;
  auto number = [&](const std::string& in, const std::regex& re, const char* call) {
    std::string res;
    auto last = in.begin();
    for (std::sregex_iterator it(in.begin(), in.end(), re), end; it != end; ++it) {
      res.append(last, in.begin() + it->position(0));
      res += std::string(call) + "(" + std::to_string(out.static_checks++) + ", ";
      last = in.begin() + it->position(0) + it->length(0);
    }
    res.append(last, in.end());
    return res;
  };
  out.code = number(test_code, assert_re, "__stepcoder_check");
  out.assert_sites = out.static_checks;
  out.code = number(out.code, throw_re, "__stepcoder_fail");
  return out;
}

const char* raw_syscall_source() { return kRawSyscalls; }
const char* report_runtime_source() { return kReportRuntime; }

std::string tests_prologue() { return kPrologue; }

std::string tests_epilogue(const std::string& completion) {
  return std::string(kEpilogueHead) + completion + "  return 0;\n}\n";
}

AssembledTests assemble_assert_tests(const std::string& program, const std::string& test_code) {
  AssembledTests out;
  out.checks = rewrite_checks(test_code);
  out.source = program;
  if (!out.source.empty() && out.source.back() != '\n') out.source += '\n';
  out.source += std::string("#line 1 \"") + kHarnessFile + "\"\n";
  out.source += kRawSyscalls;
  out.source += kReportRuntime;
  out.source += kPrologue;
  out.source += std::string("#line 1 \"") + kTestsFile + "\"\n";
  out.source += out.checks.code;
  out.source += tests_epilogue(kSecretCompletion);
  return out;
}

HarnessReport parse_report(const std::string& bytes, const std::string& secret, int sites) {
  HarnessReport r;
  r.sites.assign(static_cast<size_t>(std::max(sites, 0)), false);
  auto malformed = [&r] {
    r.malformed = true;
    return r;
  };
  size_t pos = 0;
  while (pos + 5 <= bytes.size()) {
    char type = bytes[pos];
    if (std::string("PFXED").find(type) == std::string::npos) return malformed();
    uint32_t len = read_u32(bytes, pos + 1);
    if (len > bytes.size() - pos - 5) break;  // torn by a kill: the rest never arrived
    std::string payload = bytes.substr(pos + 5, len);
    pos += 5 + len;
    if (r.completed) return malformed();  // nothing follows the completion record
    if (type == 'P' || type == 'F') {
      if (payload.size() < 4 || (type == 'P' && payload.size() != 4)) return malformed();
      uint32_t site = read_u32(payload, 0);
      if (site >= r.sites.size()) return malformed();
      r.sites[site] = true;
      if (type == 'P') {
        ++r.passed;
      } else {
        ++r.failed;
        if (r.first_failure.empty()) r.first_failure = std::string(kTestsFile) + ":" + one_line(payload.substr(4));
      }
    } else if (type == 'X' || type == 'E') {
      (type == 'X' ? r.exception : r.ended) = true;
      if (r.first_failure.empty()) r.first_failure = (type == 'X' ? "exception: " : "") + one_line(payload);
    } else if (type == 'D') {
      if (payload != secret) return malformed();
      r.completed = true;
    } else {
      return malformed();
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
