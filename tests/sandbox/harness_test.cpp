// Pure parts of the sandbox: report parsing, output comparison, test assembly (in process and
// split), #line neutralisation, diagnostics parsing, the policy table.
#include <gtest/gtest.h>

#include "sandbox/compiler.h"
#include "sandbox/harness.h"
#include "sandbox/line_directives.h"
#include "sandbox/policy.h"
#include "sandbox/split_harness.h"
#include "sandbox/verdict.h"

namespace stepcoder::sandbox {
namespace {

// Records as the harness writes them: a type byte, a 32-bit little-endian length, the payload.
std::string rec(char type, const std::string& payload) {
  std::string r(1, type);
  uint32_t n = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) r += static_cast<char>((n >> (8 * i)) & 255);
  return r + payload;
}
std::string site(uint32_t s) { return std::string(reinterpret_cast<const char*>(&s), 4); }

TEST(HarnessTest, ReportCountsChecksAndSecret) {
  std::string bytes = rec('P', site(0)) + rec('P', site(1)) + rec('F', site(2) + "7 f(1)==2") +
                      rec('D', "s3cret");
  HarnessReport r = parse_report(bytes, "s3cret", 3);
  EXPECT_EQ(r.passed, 2);
  EXPECT_EQ(r.failed, 1);
  EXPECT_TRUE(r.completed);
  EXPECT_FALSE(r.malformed);
  EXPECT_EQ(r.first_failure, "tests.cpp:7 f(1)==2");
  EXPECT_EQ(r.sites, (std::vector<bool>{true, true, true}));
}

TEST(HarnessTest, WrongSecretOrStrayBytesVoidTheReport) {
  EXPECT_TRUE(parse_report(rec('P', site(0)) + rec('D', "guess"), "s3cret", 1).malformed);
  // One stray byte before the records: the parser does not resynchronise on a later record.
  HarnessReport stray = parse_report("x" + rec('P', site(0)) + rec('D', ""), "", 1);
  EXPECT_TRUE(stray.malformed);
  // A record after the completion, a site that does not exist, a pass with a text.
  EXPECT_TRUE(parse_report(rec('D', "") + rec('P', site(0)), "", 1).malformed);
  EXPECT_TRUE(parse_report(rec('P', site(5)), "", 1).malformed);
  EXPECT_TRUE(parse_report(rec('P', site(0) + "x"), "", 1).malformed);
}

TEST(HarnessTest, TornTailIsIgnoredNotTrusted) {
  std::string bytes = rec('P', site(0)) + rec('D', "").substr(0, 3);
  HarnessReport r = parse_report(bytes, "", 1);
  EXPECT_FALSE(r.malformed);
  EXPECT_FALSE(r.completed);
  EXPECT_EQ(r.passed, 1);
}

TEST(HarnessTest, ExceptionAndEndedCallsAreReported) {
  HarnessReport r = parse_report(rec('P', site(0)) + rec('X', "vector::_M_range_check\nP"), "", 1);
  EXPECT_TRUE(r.exception);
  EXPECT_FALSE(r.completed);
  EXPECT_EQ(r.first_failure, "exception: vector::_M_range_check P");  // one line, no injection
  HarnessReport e = parse_report(rec('E', "the program ended during call 2 (f)"), "", 1);
  EXPECT_TRUE(e.ended);
  EXPECT_EQ(e.first_failure, "the program ended during call 2 (f)");
}

TEST(HarnessTest, OutputsMatchIgnoresTrailingWhitespaceOnly) {
  EXPECT_TRUE(outputs_match("3\n", "3"));
  EXPECT_TRUE(outputs_match("1 2 \r\n3\n\n\n", "1 2\n3"));
  EXPECT_FALSE(outputs_match("1  2\n", "1 2\n"));
  EXPECT_FALSE(outputs_match("3\n4\n", "3\n"));
  EXPECT_FALSE(outputs_match("", "0"));
  EXPECT_TRUE(outputs_match("", ""));
}

TEST(HarnessTest, AssemblyRewritesChecksButNotLookalikes) {
  AssembledTests a = assemble_assert_tests(
      "int f(int x){return x;}",
      "#include<assert.h>\nint main(){ assert(f(1)==1); assert (f(2)==2);\n"
      " static_assert(1 == 1); if (f(3)!=3) throw runtime_error(\"case\"); }\n");
  EXPECT_EQ(a.checks.static_checks, 3);
  EXPECT_EQ(a.checks.assert_sites, 2);
  EXPECT_NE(a.source.find("__stepcoder_check(0, f(1)==1)"), std::string::npos);
  EXPECT_NE(a.source.find("__stepcoder_check(1, f(2)==2)"), std::string::npos);
  EXPECT_NE(a.source.find("static_assert(1 == 1)"), std::string::npos);
  EXPECT_NE(a.source.find("__stepcoder_fail(2, \"case\")"), std::string::npos);
  EXPECT_EQ(a.source.find("throw runtime_error"), std::string::npos);
  // The program comes first, unchanged; the secret is read from its descriptor, not argv.
  EXPECT_EQ(a.source.rfind("int f(int x){return x;}\n", 0), 0u);
  EXPECT_EQ(a.source.find("argv[1]"), std::string::npos);
}

TEST(SplitHarnessTest, TestProcessHoldsTheTestsAndTheProgramHoldsNone) {
  Tests t;
  t.kind = Tests::Kind::Assert;
  t.code = "int main() { assert(add(1, 2) == 3); }\n";
  t.entry = {"add", "int add(int a, int b)", "#include <vector>\nusing namespace std;\n"};
  auto s = split_tests(t);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->checks.static_checks, 1);
  EXPECT_NE(s->tests_source.find("add(1, 2) == 3"), std::string::npos);
  EXPECT_NE(s->tests_source.find("__sc::ret<__sc_F> add(__sc::arg<__sc_F, 0> __sc_a0, "
                                 "__sc::arg<__sc_F, 1> __sc_a1)"),
            std::string::npos);
  // Nothing of the test code, its expected values or the reporting reaches the program.
  EXPECT_EQ(s->server.find("add(1, 2)"), std::string::npos);
  EXPECT_EQ(s->server.find("__sc_rep"), std::string::npos);
  EXPECT_NE(s->server.find("serve<decltype(__sc_decl::add)>(&add)"), std::string::npos);
}

TEST(SplitHarnessTest, RefusesWhatItCannotCall) {
  Tests t;
  t.kind = Tests::Kind::Assert;
  EXPECT_FALSE(split_tests(t));  // no entry point
  t.entry = {"f", "int f(int a", ""};
  EXPECT_FALSE(split_tests(t));  // unbalanced
}

TEST(SplitHarnessTest, CountsParameters) {
  EXPECT_EQ(parameter_count("int f()", "f"), 0);
  EXPECT_EQ(parameter_count("int f(void)", "f"), 0);
  EXPECT_EQ(parameter_count("int f(int a)", "f"), 1);
  EXPECT_EQ(parameter_count("vector<int> f(map<int, int> m, pair<int,int> p, int (*g)(int, int))", "f"), 3);
  EXPECT_EQ(parameter_count("bool is_f(int a); bool f (vector<vector<int>> g, string s)", "f"), 2);
  EXPECT_EQ(parameter_count("int g(int a)", "f"), -1);
}

TEST(LineDirectiveTest, BlanksEveryFormKeepingLengthAndLines) {
  const std::string p =
      "int f() {\n#line 1 \"tests.cpp\"\n  return x;\n}\n"
      "  # 7 \"harness\"\n"
      "%:line 3\n"
      "/* c */ #  /* c */ line 9\n"
      "#li\\\nne 4 \"tests.cpp\"\n";
  std::string n = neutralize_line_directives(p, false);
  ASSERT_EQ(n.size(), p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '\n') continue;
    EXPECT_EQ(n[i], '\n') << i;
  }
  EXPECT_EQ(n.find("line"), std::string::npos) << n;
  EXPECT_EQ(n.find("harness"), std::string::npos) << n;
  EXPECT_NE(n.find("return x;"), std::string::npos);
  EXPECT_NE(n.find("/* c */"), std::string::npos);
}

TEST(LineDirectiveTest, LeavesOtherDirectivesAndLiteralsAlone) {
  const std::string p =
      "#include <vector>\n#define LINE 1\nconst char* s = \"\\n#line 1\";\n"
      "const char* r = R\"x(\n#line 2 \"tests.cpp\"\n)x\";\nint n = 1'000;\n";
  EXPECT_EQ(neutralize_line_directives(p, false), p);
  // A string that looks like a comment's start does not hide the next line's directive.
  const std::string q = "#define S \"/*\"\n#line 1 \"tests.cpp\"\nint x; // */\n";
  EXPECT_EQ(neutralize_line_directives(q, false).find("#line"), std::string::npos);
  // Trigraphs only where the standard has them.
  EXPECT_EQ(neutralize_line_directives("?\?=line 2\n", true).find("line"), std::string::npos);
  EXPECT_EQ(neutralize_line_directives("?\?=line 2\n", false), "?\?=line 2\n");
}

TEST(DiagnosticsTest, KeepsProgramAndTestMessagesOnly) {
  std::string err =
      "program.cpp: In function 'int main()':\n"
      "program.cpp:3:5: error: 'x' was not declared in this scope\n"
      "In file included from program.cpp:1:\n"
      "/etc/passwd:1:5: error: 'root' does not name a type\n"
      "tests.cpp:2:10: error: 'g' was not declared in this scope\n"
      "program.cpp:4: warning: unused variable\n"
      "/usr/bin/ld: /tmp/cc.o: in function `main':\n"
      "program.cpp:(.text+0x1a): undefined reference to `foo(int)'\n"
      "error: __STATIC__ predefined macro was disabled in PCH file\n";
  std::vector<Diagnostic> d = parse_diagnostics(err);
  ASSERT_EQ(d.size(), 6u);
  EXPECT_EQ(d[5].message, "__STATIC__ predefined macro was disabled in PCH file");
  EXPECT_EQ(d[4].message, "link: undefined reference to `foo(int)'");
  EXPECT_EQ(d[0].line, 3);
  EXPECT_EQ(d[0].column, 5);
  EXPECT_EQ(d[0].severity, "error");
  EXPECT_EQ(d[1].message, "in included file /etc/passwd");
  EXPECT_EQ(d[1].line, 0);
  EXPECT_TRUE(d[2].in_tests);
  EXPECT_EQ(d[3].line, 4);
  EXPECT_EQ(d[3].column, 0);
  for (const auto& x : d) EXPECT_EQ(x.message.find("root"), std::string::npos);
}

TEST(PolicyTest, CompilesAndListsItsRules) {
  auto p = Policy::compile();
  ASSERT_TRUE(p) << p.error();
  EXPECT_GT(p->instruction_count(), 20u);
  auto lines = Policy::describe();
  EXPECT_EQ(lines.back(), "anything else: kill (violation)");
  bool has_fork = false;
  for (const auto& l : lines) has_fork |= l.rfind("fork", 0) == 0 || l.rfind("clone:", 0) == 0;
  EXPECT_FALSE(has_fork);
}

TEST(VerdictTest, NamesRoundTrip) {
  for (int i = 0; i < kVerdictCount; ++i) {
    Verdict v = static_cast<Verdict>(i);
    EXPECT_EQ(parse_verdict(verdict_name(v)), v);
  }
  EXPECT_FALSE(parse_verdict("accepted"));
}

}  // namespace
}  // namespace stepcoder::sandbox
