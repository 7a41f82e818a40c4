// Signature mining with Clang: supported types, nested vectors, references, unsupported types,
// and every MBCPP entry point. Each test parses <bits/stdc++.h> (about 8 s), so they run under
// the `sandbox` label rather than `unit`.
#include <gtest/gtest.h>

#include <map>

#include "tasks/problem_io.h"
#include "tasks/testgen/signature.h"
#include "util/files.h"

namespace stepcoder::tasks {
namespace {

TEST(SignatureTest, MinesSupportedAndUnsupportedTypes) {
  auto sigs = mine_signatures({"long long f(vector<vector<int>> g, const string& s, double x, char c, bool b)",
                               "vector<string> g(vector<int>& a, unsigned n)",
                               "int h(map<int, int> m)", "void v(int x)", "int broken(Undeclared u)"});
  ASSERT_TRUE(sigs) << sigs.error();
  ASSERT_EQ(sigs->size(), 5u);
  const Signature& f = (*sigs)[0];
  ASSERT_TRUE(f.supported()) << f.unsupported;
  EXPECT_EQ(f.name, "f");
  EXPECT_EQ(f.ret.spelling, "long long");
  ASSERT_EQ(f.params.size(), 5u);
  EXPECT_EQ(f.params[0].type.spelling, "vector<vector<int>>");
  EXPECT_EQ(f.params[0].type.elem[0].elem[0].kind, TypeSpec::Kind::Int);
  EXPECT_EQ(f.params[1].type.kind, TypeSpec::Kind::String);
  EXPECT_FALSE(f.params[1].mutable_ref);
  EXPECT_EQ(f.params[2].type.kind, TypeSpec::Kind::Float);
  EXPECT_EQ(f.params[3].type.kind, TypeSpec::Kind::Char);
  EXPECT_EQ(f.params[4].type.kind, TypeSpec::Kind::Bool);
  const Signature& g = (*sigs)[1];
  ASSERT_TRUE(g.supported()) << g.unsupported;
  EXPECT_EQ(g.ret.spelling, "vector<string>");
  EXPECT_TRUE(g.params[0].mutable_ref);
  EXPECT_TRUE(g.params[1].type.is_unsigned);
  EXPECT_NE((*sigs)[2].unsupported.find("parameter m"), std::string::npos) << (*sigs)[2].unsupported;
  EXPECT_NE((*sigs)[3].unsupported.find("return type void"), std::string::npos) << (*sigs)[3].unsupported;
  EXPECT_FALSE((*sigs)[4].supported());
}

TEST(SignatureTest, MinesMbcppEntryPoints) {
  std::string path = STEPCODER_SOURCE_DIR "/../shared/data/external/mbxp_mbcpp_release_v1.2.jsonl";
  if (!file_exists(path)) GTEST_SKIP() << "external data absent: " << path;
  auto set = load_problems(path);
  ASSERT_TRUE(set) << set.error();
  std::vector<std::string> decls;
  for (const Problem& p : set->problems) decls.push_back(declaration_of(p.prompt, p.entry_point));
  auto sigs = mine_signatures(decls);
  ASSERT_TRUE(sigs) << sigs.error();
  int supported = 0;
  std::map<std::string, int> why;
  for (size_t i = 0; i < sigs->size(); ++i) {
    EXPECT_FALSE(decls[i].empty()) << set->problems[i].task_id;
    if ((*sigs)[i].supported()) {
      ++supported;
      EXPECT_EQ((*sigs)[i].name, set->problems[i].entry_point);
    } else {
      ++why[(*sigs)[i].unsupported.substr(0, (*sigs)[i].unsupported.find(':'))];
    }
  }
  std::printf("MBCPP: %d of %zu signatures supported\n", supported, sigs->size());
  for (const auto& [w, n] : why) std::printf("  %4d %s\n", n, w.c_str());
  EXPECT_GT(supported, 600);
}

}  // namespace
}  // namespace stepcoder::tasks
