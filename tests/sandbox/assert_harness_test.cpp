// Assert-style tests: only a run whose test code ran to its end with every check passing is
// `passed`. Each case here is a way a program could try to pass without computing the answer.
#include <gtest/gtest.h>

#include "tests/sandbox/test_judge.h"

namespace stepcoder::sandbox {
namespace {

using test_support::run_asserts;

const char* kTests = R"(#undef NDEBUG
#include <assert.h>
int main() {
    assert(add(1, 2) == 3);
    assert(add(-1, 1) == 0);
    assert(add(20, 22) == 42);
}
)";

const char* kGood = "#include <bits/stdc++.h>\nusing namespace std;\nint add(int a, int b) {\n    return a + b;\n}\n";

TEST(AssertHarnessTest, CorrectProgramPasses) {
  JudgeResult r = run_asserts(kGood, kTests);
  EXPECT_EQ(r.verdict, Verdict::Passed) << r.message;
  EXPECT_EQ(r.checks_total, 3);
  EXPECT_EQ(r.checks_passed, 3);
  EXPECT_DOUBLE_EQ(r.pass_ratio, 1.0);
}

TEST(AssertHarnessTest, WrongAnswerFailsWithPartialCredit) {
  JudgeResult r = run_asserts("int add(int a, int b) { return a > 0 ? a + b : 7; }\n", kTests);
  EXPECT_EQ(r.verdict, Verdict::Failed) << r.message;
  EXPECT_EQ(r.checks_passed, 2);
  EXPECT_NEAR(r.pass_ratio, 2.0 / 3, 1e-9);
  EXPECT_NE(r.message.find("add(-1, 1) == 0"), std::string::npos) << r.message;
}

struct Cheat {
  const char* name;
  const char* program;
  Verdict expected;
};

const Cheat kCheats[] = {
    {"exit(0) in the function",
     "#include <cstdlib>\nint add(int, int) { std::exit(0); }\n", Verdict::Failed},
    {"_exit(0) in the function",
     "#include <unistd.h>\nint add(int, int) { _exit(0); }\n", Verdict::Failed},
    {"quick_exit(0)",
     "#include <cstdlib>\nint add(int, int) { std::quick_exit(0); }\n", Verdict::Failed},
    {"static constructor exits before the tests",
     "#include <cstdlib>\nint add(int a, int) { return a; }\n"
     "static int early = (std::exit(0), 0);\n",
     Verdict::Failed},
    {"NDEBUG defined",
     "#define NDEBUG\n#include <cassert>\nint add(int, int) { return 0; }\n", Verdict::Failed},
    {"assert redefined as nothing",
     "#define assert(x) ((void)0)\nint add(int, int) { return 0; }\n", Verdict::Failed},
    {"own __assert_fail that returns",
     "extern \"C\" void __assert_fail(const char*, const char*, unsigned, const char*) {}\n"
     "int add(int, int) { return 0; }\n",
     Verdict::Failed},
    {"own abort that exits cleanly (clashes with libc's when linking statically)",
     "#include <unistd.h>\nextern \"C\" void abort() { _exit(0); }\nint add(int, int) { return 0; }\n",
     Verdict::CompileError},
    {"own main", "int add(int, int) { return 0; }\nint main() { return 0; }\n",
     Verdict::CompileError},
    {"main renamed away by a macro",
     "int add(int, int) { return 0; }\nint main() { return 0; }\n#define main unused_main\n",
     Verdict::CompileError},
    {"fake report on fd 3",
     "#include <unistd.h>\nint add(int, int) { write(3, \"P\\nP\\nP\\nR0\\nOK\\n\", 13); _exit(0); }\n",
     Verdict::Failed},
    {"comment swallowing the tests", "int add(int, int) { return 0; }\n/*", Verdict::CompileError},
    {"#if 0 swallowing the tests", "int add(int, int) { return 0; }\n#if 0\n",
     Verdict::CompileError},
    {"exception escaping the function",
     "#include <stdexcept>\nint add(int, int) { throw std::runtime_error(\"no\"); }\n",
     Verdict::RuntimeError},
};

TEST(AssertHarnessTest, CheatsDoNotPass) {
  for (const Cheat& c : kCheats) {
    JudgeResult r = run_asserts(c.program, kTests);
    EXPECT_EQ(r.verdict, c.expected) << c.name << ": got " << verdict_name(r.verdict) << " ("
                                     << r.message << ")";
    EXPECT_NE(r.verdict, Verdict::Passed) << c.name;
  }
}

TEST(AssertHarnessTest, MbxpStyleThrowsCountAsFailedChecks) {
  const char* tests = R"(
template <typename T> bool compare(T a, T b) { return a == b; }
int main(int argc, char* argv[]) {
    int x0 = add(1, 2);
    if (!(compare(x0, 3))) {
        throw runtime_error("Exception -- test case 0 did not pass.");
    }
    int x1 = add(2, 2);
    if (!(compare(x1, 5))) {
        throw runtime_error("Exception -- test case 1 did not pass.");
    }
    return 0;
}
)";
  JudgeResult ok = run_asserts("#include <bits/stdc++.h>\nusing namespace std;\nint add(int a, int b) { return a + b + (a == 2); }\n", tests);
  EXPECT_EQ(ok.verdict, Verdict::Passed) << ok.message;
  EXPECT_EQ(ok.checks_total, 2);
  JudgeResult bad = run_asserts("#include <bits/stdc++.h>\nusing namespace std;\nint add(int a, int b) { return a + b; }\n", tests);
  EXPECT_EQ(bad.verdict, Verdict::Failed) << bad.message;
  EXPECT_EQ(bad.checks_passed, 1);
}

TEST(AssertHarnessTest, ErrorInTestCodeIsMarked) {
  JudgeResult r = run_asserts(kGood, "int main() { assert(missing(1) == 2); }\n");
  EXPECT_EQ(r.verdict, Verdict::CompileError);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_TRUE(r.diagnostics[0].in_tests) << r.diagnostics[0].message;
}

}  // namespace
}  // namespace stepcoder::sandbox
