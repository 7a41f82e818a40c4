// Finding an entry point's declaration in program text. The Clang parses (each about 8 s, for
// <bits/stdc++.h>) are in signature_clang_test.cpp, outside the fast `unit` label.
#include "tasks/testgen/signature.h"

#include <gtest/gtest.h>

#include "tasks/problem.h"

namespace stepcoder::tasks {
namespace {

TEST(SignatureTest, FindsTheDeclarationInAPrompt) {
  std::string prompt = "#include <bits/stdc++.h>\n// f(1) -> 2\nint minCost(vector<vector<int>> cost, int m) {\n";
  EXPECT_EQ(declaration_of(prompt, "minCost"), "int minCost(vector<vector<int>> cost, int m)");
  EXPECT_EQ(declaration_of(prompt, "absent"), "");
}

// HumanEval-X puts its docstring, with example calls, after the signature; strings may show
// calls too. The declaration is the last occurrence outside comments and literals.
TEST(SignatureTest, CallsInCommentsAndStringsAreNotTheDeclaration) {
  std::string prompt =
      "#include<string>\nusing namespace std;\nbool is_palindrome(string s){\n    return true;\n}\n"
      "string make_palindrome(string str){\n    /*\n    >>> make_palindrome(\"cat\")\n    */\n"
      "    // make_palindrome(\"x\")\n    const char* s = \"make_palindrome(1)\";\n";
  sandbox::EntryPoint e = entry_point_of(prompt, "make_palindrome");
  EXPECT_EQ(e.name, "make_palindrome");
  EXPECT_EQ(e.declaration, "string make_palindrome(string str)");
  EXPECT_EQ(e.context, "#include<string>\nusing namespace std;\nbool is_palindrome(string s){\n    return true;\n}\n");
  EXPECT_EQ(entry_point_of(prompt, "absent").name, "");
}

// The tests as judged carry the prompt's declaration; a problem whose prompt holds part of its
// solution (a curriculum stage: a recursive call in it) keeps the original's, as the trainer
// and replay judge it.
TEST(SignatureTest, JudgedTestsKeepTheOriginalPromptsEntryPoint) {
  Problem p;
  p.entry_point = "fib";
  p.prompt = "#include <bits/stdc++.h>\nint fib(int n) {\n";
  p.canonical_solution = "    return n < 2 ? n : fib(n - 1) + fib(n - 2);\n}\n";
  p.tests.kind = sandbox::Tests::Kind::Assert;
  p.tests.code = "int main() { assert(fib(10) == 55); }\n";
  sandbox::Tests t = p.judged_tests();
  EXPECT_EQ(t.entry.declaration, "int fib(int n)");
  EXPECT_EQ(t.entry.context, "#include <bits/stdc++.h>\n");
  Problem staged = p;
  staged.tests = p.judged_tests();
  staged.prompt += "    return n < 2 ? n : fib(n - 1) + ";
  EXPECT_EQ(staged.request("fib(n - 2);\n}\n").tests.entry.declaration, "int fib(int n)");
  p.tests.kind = sandbox::Tests::Kind::Io;
  EXPECT_EQ(p.judged_tests().entry.name, "");  // stdin/stdout tests call nothing
}

}  // namespace
}  // namespace stepcoder::tasks
