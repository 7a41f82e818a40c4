// Pure parts of the sandbox: report parsing, output comparison, test assembly, diagnostics
// parsing, the policy table.
#include <gtest/gtest.h>

#include "sandbox/compiler.h"
#include "sandbox/harness.h"
#include "sandbox/policy.h"
#include "sandbox/verdict.h"

namespace stepcoder::sandbox {
namespace {

TEST(HarnessTest, ReportCountsChecksAndNonce) {
  HarnessReport r = parse_report("P\nP\nF7 f(1)==2\nR0\nOKabc\n", "OKabc");
  EXPECT_EQ(r.passed, 2);
  EXPECT_EQ(r.failed, 1);
  EXPECT_TRUE(r.completed);
  EXPECT_EQ(r.first_failure, "tests.cpp:7 f(1)==2");
}

TEST(HarnessTest, WrongOrTornNonceIsNotCompletion) {
  EXPECT_FALSE(parse_report("P\nOKabd\n", "OKabc").completed);
  EXPECT_FALSE(parse_report("P\nOKabc", "OKabc").completed);  // no newline: torn
  EXPECT_FALSE(parse_report("P\n", "").completed);
}

TEST(HarnessTest, ExceptionIsReported) {
  HarnessReport r = parse_report("P\nXvector::_M_range_check\n", "OK1");
  EXPECT_TRUE(r.exception);
  EXPECT_FALSE(r.completed);
  EXPECT_NE(r.first_failure.find("_M_range_check"), std::string::npos);
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
  EXPECT_EQ(a.static_checks, 3);
  EXPECT_NE(a.source.find("__stepcoder_check(f(1)==1)"), std::string::npos);
  EXPECT_NE(a.source.find("static_assert(1 == 1)"), std::string::npos);
  EXPECT_NE(a.source.find("__stepcoder_fail(\"case\")"), std::string::npos);
  EXPECT_EQ(a.source.find("throw runtime_error"), std::string::npos);
  // The program comes first, unchanged.
  EXPECT_EQ(a.source.rfind("int f(int x){return x;}\n", 0), 0u);
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
