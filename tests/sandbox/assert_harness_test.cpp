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

JudgeResult split(const std::string& program, const char* tests = kTests) {
  return test_support::run_split(program, tests, "add", "int add(int a, int b)");
}

TEST(AssertHarnessTest, CorrectProgramPassesBothWays) {
  for (bool apart : {true, false}) {
    JudgeResult r = apart ? split(kGood) : run_asserts(kGood, kTests);
    EXPECT_EQ(r.verdict, Verdict::Passed) << r.message;
    EXPECT_EQ(r.checks_total, 3);
    EXPECT_EQ(r.checks_passed, 3);
    EXPECT_DOUBLE_EQ(r.pass_ratio, 1.0);
    EXPECT_EQ(r.isolation, apart ? Isolation::Split : Isolation::InProcess);
  }
}

TEST(AssertHarnessTest, WrongAnswerFailsWithPartialCredit) {
  const char* wrong = "int add(int a, int b) { return a > 0 ? a + b : 7; }\n";
  for (bool apart : {true, false}) {
    JudgeResult r = apart ? split(wrong) : run_asserts(wrong, kTests);
    EXPECT_EQ(r.verdict, Verdict::Failed) << r.message;
    EXPECT_EQ(r.checks_passed, 2);
    EXPECT_NEAR(r.pass_ratio, 2.0 / 3, 1e-9);
    EXPECT_NE(r.message.find("add(-1, 1) == 0"), std::string::npos) << r.message;
  }
}

// Each way a program could try to pass without computing the answer, with the verdict it gets
// when the tests run apart (the judge's normal way) and in its own process (the fallback).
struct Cheat {
  const char* name;
  const char* program;
  Verdict apart, in_process;
};

const Cheat kCheats[] = {
    {"exit(0) in the function", "#include <cstdlib>\nint add(int, int) { std::exit(0); }\n",
     Verdict::RuntimeError, Verdict::Failed},
    {"_exit(0) in the function", "#include <unistd.h>\nint add(int, int) { _exit(0); }\n",
     Verdict::RuntimeError, Verdict::Failed},
    {"quick_exit(0)", "#include <cstdlib>\nint add(int, int) { std::quick_exit(0); }\n",
     Verdict::RuntimeError, Verdict::Failed},
    {"static constructor exits before the tests",
     "#include <cstdlib>\nint add(int a, int) { return a; }\n"
     "static int early = (std::exit(0), 0);\n",
     Verdict::RuntimeError, Verdict::Failed},
    {"NDEBUG defined", "#define NDEBUG\n#include <cassert>\nint add(int, int) { return 0; }\n",
     Verdict::Failed, Verdict::Failed},
    {"assert redefined as nothing", "#define assert(x) ((void)0)\nint add(int, int) { return 0; }\n",
     Verdict::Failed, Verdict::Failed},
    {"own __assert_fail that returns",
     "extern \"C\" void __assert_fail(const char*, const char*, unsigned, const char*) {}\n"
     "int add(int, int) { return 0; }\n",
     Verdict::Failed, Verdict::Failed},
    {"own abort that exits cleanly (clashes with libc's when linking statically)",
     "#include <unistd.h>\nextern \"C\" void abort() { _exit(0); }\nint add(int, int) { return 0; }\n",
     Verdict::CompileError, Verdict::CompileError},
    {"own main", "int add(int, int) { return 0; }\nint main() { return 0; }\n", Verdict::CompileError,
     Verdict::CompileError},
    {"the harness's main renamed away by a macro",
     "int add(int, int) { return 0; }\nint main() { return 0; }\n#define main unused_main\n",
     Verdict::RuntimeError, Verdict::CompileError},
    {"fake report on fd 3",
     "#include <unistd.h>\nint add(int, int) { write(3, \"P\\nP\\nP\\nR0\\nOK\\n\", 13); _exit(0); }\n",
     Verdict::RuntimeError, Verdict::Failed},
    {"comment swallowing the tests", "int add(int, int) { return 0; }\n/*", Verdict::CompileError,
     Verdict::CompileError},
    {"#if 0 swallowing the tests", "int add(int, int) { return 0; }\n#if 0\n", Verdict::CompileError,
     Verdict::CompileError},
    {"exception escaping the function",
     "#include <stdexcept>\nint add(int, int) { throw std::runtime_error(\"no\"); }\n",
     Verdict::RuntimeError, Verdict::RuntimeError},
};

TEST(AssertHarnessTest, CheatsDoNotPass) {
  for (const Cheat& c : kCheats) {
    for (bool apart : {true, false}) {
      JudgeResult r = apart ? split(c.program) : run_asserts(c.program, kTests);
      Verdict want = apart ? c.apart : c.in_process;
      EXPECT_EQ(r.verdict, want) << c.name << (apart ? " (apart)" : " (in process)") << ": got "
                                 << verdict_name(r.verdict) << " (" << r.message << ")";
      EXPECT_NE(r.verdict, Verdict::Passed) << c.name;
      EXPECT_LE(r.checks_passed, 1) << c.name << ": more credit than an add() returning 0";
    }
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
  const std::string head = "#include <bits/stdc++.h>\nusing namespace std;\n";
  for (bool apart : {true, false}) {
    auto judge = [&](const std::string& body) {
      return apart ? split(head + body, tests) : run_asserts(head + body, tests);
    };
    JudgeResult ok = judge("int add(int a, int b) { return a + b + (a == 2); }\n");
    EXPECT_EQ(ok.verdict, Verdict::Passed) << ok.message;
    EXPECT_EQ(ok.checks_total, 2);
    JudgeResult bad = judge("int add(int a, int b) { return a + b; }\n");
    EXPECT_EQ(bad.verdict, Verdict::Failed) << bad.message;
    EXPECT_EQ(bad.checks_passed, 1);
  }
}

TEST(AssertHarnessTest, ErrorInTestCodeIsMarked) {
  // Apart, the test process does not compile: the run falls back to one process, says why, and
  // the error is the test code's.
  JudgeResult r = split(kGood, "int main() { assert(missing(1) == 2); }\n");
  EXPECT_EQ(r.verdict, Verdict::CompileError);
  EXPECT_EQ(r.isolation, Isolation::InProcess);
  EXPECT_NE(r.isolation_note.find("do not compile apart"), std::string::npos) << r.isolation_note;
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_TRUE(r.diagnostics[0].in_tests) << r.diagnostics[0].message;
}

// The call channel carries what the test code passes and gets back: containers, nested ones,
// pairs, tuples, maps, floating point to the bit, strings with NUL bytes, and T& parameters that
// the entry point changes (their new values travel back).
struct Shape {
  const char* declaration;
  const char* body;
  const char* tests;
};

const Shape kShapes[] = {
    {"void sort_in_place(vector<int>& v)", "    sort(v.begin(), v.end());\n}\n",
     "int main() { vector<int> a = {3, 1, 2}; sort_in_place(a); assert(a == vector<int>({1, 2, 3})); }\n"},
    {"int total(const vector<vector<int>>& g)", "    int s = 0;\n    for (auto& r : g) for (int x : r) s += x;\n    return s;\n}\n",
     "int main() { assert(total({{1, 2}, {}, {3}}) == 6); assert(total({}) == 0); }\n"},
    {"pair<int, string> split_first(string s)", "    return {int(s.size()), s.substr(0, 1)};\n}\n",
     "int main() { assert(split_first(\"abc\") == make_pair(3, string(\"a\"))); }\n"},
    {"map<string, int> counts(vector<string> w)", "    map<string, int> m;\n    for (auto& x : w) m[x]++;\n    return m;\n}\n",
     "int main() { auto m = counts({\"a\", \"b\", \"a\"}); assert(m.size() == 2 && m[\"a\"] == 2); }\n"},
    {"tuple<long long, double, char, bool> mix(float f)", "    return {1LL << 40, f / 3.0, 'z', f > 0};\n}\n",
     "int main() { auto t = mix(1.5f); assert(get<0>(t) == (1LL << 40) && get<1>(t) == 1.5f / 3.0 && get<2>(t) == 'z' && get<3>(t)); }\n"},
    {"string with_nul(int n)", "    return string(n, '\\0') + \"x\";\n}\n",
     "int main() { assert(with_nul(3).size() == 4 && with_nul(3)[1] == '\\0'); }\n"},
    {"set<int> unique_of(vector<int> v, int& count)", "    set<int> s(v.begin(), v.end());\n    count = s.size();\n    return s;\n}\n",
     "int main() { int c = 0; assert(unique_of({2, 2, 5}, c) == set<int>({2, 5})); assert(c == 2); }\n"},
    // The order of an unordered container is what the test code would have seen in one process.
    {"vector<int> in_order(unordered_set<int> s, unordered_map<int, int> m)",
     "    vector<int> out(s.begin(), s.end());\n    for (auto& kv : m) out.push_back(kv.first);\n    return out;\n}\n",
     "int main() { unordered_set<int> s = {5, 17, 3, 40, 22, 9, 1}; unordered_map<int, int> m = {{7, 1}, {90, 2}, {4, 3}};\n"
     "  vector<int> want(s.begin(), s.end()); for (auto& kv : m) want.push_back(kv.first);\n"
     "  assert(in_order(s, m) == want); }\n"},
    {"vector<bool> flags(unsigned n)", "    return vector<bool>(n, true);\n}\n",
     "int main() { assert(flags(3) == vector<bool>({true, true, true})); }\n"},
};

TEST(AssertHarnessTest, TheCallChannelCarriesTheTypesTestsUse) {
  const std::string head = "#include <bits/stdc++.h>\nusing namespace std;\n";
  for (const Shape& shape : kShapes) {
    std::string decl = shape.declaration;
    std::string name = decl.substr(0, decl.find('('));
    name = name.substr(name.find_last_of(' ') + 1);
    JudgeResult r = test_support::run_split(head + decl + " {\n" + shape.body, shape.tests, name, decl, head);
    EXPECT_EQ(r.verdict, Verdict::Passed) << decl << ": " << r.message << " " << r.isolation_note;
    EXPECT_EQ(r.isolation, Isolation::Split) << decl << ": " << r.isolation_note;
  }
}

}  // namespace
}  // namespace stepcoder::sandbox
