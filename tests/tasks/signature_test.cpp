// Finding an entry point's declaration in program text. The Clang parses (each about 8 s, for
// <bits/stdc++.h>) are in signature_clang_test.cpp, outside the fast `unit` label.
#include "tasks/signature.h"

#include <gtest/gtest.h>

namespace stepcoder::tasks {
namespace {

TEST(SignatureTest, FindsTheDeclarationInAPrompt) {
  std::string prompt = "#include <bits/stdc++.h>\n// f(1) -> 2\nint minCost(vector<vector<int>> cost, int m) {\n";
  EXPECT_EQ(declaration_of(prompt, "minCost"), "int minCost(vector<vector<int>> cost, int m)");
  EXPECT_EQ(declaration_of(prompt, "absent"), "");
}

}  // namespace
}  // namespace stepcoder::tasks
