// Unit-test generation through the real judge, on small MBCPP-like problems written here:
// plain functions, crashes and hangs on some inputs, floating point, strings and references,
// nested vectors, a hard-coded reference, a wrong reference and an unsupported signature.
#include <gtest/gtest.h>

#include <map>

#include "tasks/testgen/testgen.h"

namespace stepcoder::tasks {
namespace {

// An MBCPP-shaped problem: prompt ends with the signature, tests throw on a failed case.
Problem mbcpp(const std::string& id, const std::string& signature, const std::string& body,
              const std::vector<std::pair<std::string, std::string>>& cases) {
  Problem p;
  p.task_id = id;
  p.prompt = "#include <bits/stdc++.h>\nusing namespace std;\n\n/**\n * A test problem.\n */\n" + signature + " {\n";
  p.canonical_solution = body + "\n}\n";
  p.entry_point = signature.substr(0, signature.find('('));
  p.entry_point = p.entry_point.substr(p.entry_point.rfind(' ') + 1);
  p.tests.kind = sandbox::Tests::Kind::Assert;
  p.tests.code = "template <typename T> bool compare(T a, T b) { return a == b; }\n"
                 "int main(int argc, char* argv[]) {\n";
  for (const auto& [call, expected] : cases) {
    p.tests.code += "    if (!(compare(" + call + ", " + expected + "))) {\n"
                    "        throw runtime_error(\"Exception -- test case did not pass.\");\n    }\n";
  }
  p.tests.code += "    return 0;\n}";
  return p;
}

std::vector<Problem> problems() {
  return {
      mbcpp("add", "int add(int a, int b)", "    return a + b;", {{"add(1, 2)", "3"}}),
      mbcpp("divide", "int divide(int a, int b)", "    return a / b;", {{"divide(6, 3)", "2"}}),
      mbcpp("spin", "int spin(int n)", "    while (n < 0) {}\n    return n * 2;", {{"spin(2)", "4"}}),
      mbcpp("half", "double half(double x)", "    return x / 3;", {{"half(3.0)", "1.0"}}),
      mbcpp("vowels", "int vowels(string& s)",
            "    int n = 0;\n    for (char c : s) n += string(\"aeiouAEIOU\").find(c) != string::npos;\n    return n;",
            {{"vowels(*new string(\"hello\"))", "2"}}),
      mbcpp("transpose", "vector<vector<int>> transpose(vector<vector<int>> m)",
            "    vector<vector<int>> t;\n    if (m.empty()) return t;\n"
            "    t.assign(m[0].size(), vector<int>(m.size()));\n"
            "    for (size_t i = 0; i < m.size(); ++i)\n"
            "        for (size_t j = 0; j < m[i].size(); ++j) t.at(j).at(i) = m[i][j];\n    return t;",
            {{"transpose({{1, 2}})", "vector<vector<int>>{{1}, {2}}"}}),
      mbcpp("words", "vector<string> words(string s, char sep)",
            "    vector<string> out;\n    string cur;\n"
            "    for (char c : s) { if (c == sep) { out.push_back(cur); cur.clear(); } else cur += c; }\n"
            "    out.push_back(cur);\n    return out;",
            {{"words(\"a b\", ' ')", "vector<string>{\"a\", \"b\"}"}}),
      mbcpp("square", "int square(int x)",
            "    if (x == 13) return 169;\n    if (x == 17) return 289;\n    return 441;",
            {{"square(13)", "169"}, {"square(17)", "289"}, {"square(21)", "441"}}),
      mbcpp("wrong", "int twice(int x)", "    return x + 2;", {{"twice(3)", "6"}}),
      mbcpp("map", "int size_of(map<int, int> m)", "    return m.size();", {{"size_of({})", "0"}}),
  };
}

class TestgenJudgeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sandbox::SandboxConfig cfg;
    cfg.cache_dir = std::string(STEPCODER_BINARY_DIR) + "/test-cache";
    cfg.run.cpu_ms = 400;  // `spin` hangs on negative inputs
    cfg.run.wall_ms = 1500;
    auto judge = sandbox::SandboxJudge::create(cfg);
    ASSERT_TRUE(judge) << judge.error();
    judge_ = std::move(*judge);
    TestGenOptions opts;
    opts.per_task = 8;
    opts.seed = 5;
    opts.workers = 2;
    auto r = generate_tests(problems(), *judge_, opts);
    ASSERT_TRUE(r) << r.error();
    report_ = new TestGenReport(std::move(*r));
    for (size_t i = 0; i < report_->tasks.size(); ++i) by_id_[report_->tasks[i].task_id] = i;
  }
  static void TearDownTestSuite() {
    delete report_;
    report_ = nullptr;
    judge_.reset();
  }
  const TaskGen& task(const std::string& id) { return report_->tasks.at(by_id_.at(id)); }
  const Problem& problem(const std::string& id) { return report_->problems.at(by_id_.at(id)); }

  static std::unique_ptr<sandbox::SandboxJudge> judge_;
  static TestGenReport* report_;
  static std::map<std::string, size_t> by_id_;
};

std::unique_ptr<sandbox::SandboxJudge> TestgenJudgeTest::judge_;
TestGenReport* TestgenJudgeTest::report_ = nullptr;
std::map<std::string, size_t> TestgenJudgeTest::by_id_;

TEST_F(TestgenJudgeTest, PlainFunctionsGetVerifiedTestsBeforeTheirOwn) {
  ASSERT_NE(report_, nullptr);
  for (const char* id : {"add", "half", "vowels", "transpose", "words"}) {
    EXPECT_EQ(task(id).status, GenStatus::Generated) << id << ": " << task(id).detail;
    EXPECT_GE(task(id).kept, 6) << id;
  }
  const std::string& code = problem("add").tests.code;
  EXPECT_NE(code.find("assert(add(0, 0) == 0);"), std::string::npos) << code;
  EXPECT_NE(code.find("compare(add(1, 2), 3)"), std::string::npos) << "the original check is kept";
  EXPECT_NE(problem("half").tests.code.find("stepcoder_near(half("), std::string::npos);
  EXPECT_NE(problem("vowels").tests.code.find("vowels(stepcoder_lvalue(string("), std::string::npos);
  // The generated tests of every problem pass in the judge (checked once more here).
  sandbox::JudgeResult r = judge_->judge(problem("words").request(problem("words").canonical_solution));
  EXPECT_EQ(r.verdict, sandbox::Verdict::Passed) << r.message;
  EXPECT_EQ(r.checks_total, task("words").kept + 1);
}

TEST_F(TestgenJudgeTest, InputsThatCrashOrHangAreDropped) {
  ASSERT_NE(report_, nullptr);
  EXPECT_EQ(task("divide").status, GenStatus::Generated) << task("divide").detail;
  EXPECT_LT(task("divide").kept, task("divide").inputs) << "divide(0, 0) must be dropped";
  EXPECT_GE(task("divide").runs, 2);
  EXPECT_EQ(problem("divide").tests.code.find("divide(0, 0)"), std::string::npos);
  EXPECT_EQ(task("spin").status, GenStatus::Generated) << task("spin").detail;
  EXPECT_EQ(problem("spin").tests.code.find("spin(-1)"), std::string::npos);
  EXPECT_GT(task("spin").kept, 0);
}

TEST_F(TestgenJudgeTest, HardCodedWrongAndUnsupportedReferencesGetNoTests) {
  ASSERT_NE(report_, nullptr);
  EXPECT_EQ(task("square").status, GenStatus::HardCoded) << task("square").detail;
  EXPECT_EQ(report_->ids(GenStatus::HardCoded), std::vector<std::string>{"square"});
  EXPECT_EQ(task("wrong").status, GenStatus::VerifyFailed) << task("wrong").detail;
  EXPECT_EQ(problem("wrong").tests.code, problems()[8].tests.code) << "original tests unchanged";
  EXPECT_EQ(task("map").status, GenStatus::Unsupported);
  EXPECT_NE(task("map").detail.find("parameter m"), std::string::npos) << task("map").detail;
  Json summary = testgen_summary(*report_);
  EXPECT_EQ(summary["counts"]["generated"], 7);
  EXPECT_EQ(summary["details"]["hard_coded"][0]["task_id"], "square");
}

TEST_F(TestgenJudgeTest, SameSeedSameTests) {
  ASSERT_NE(report_, nullptr);
  TestGenOptions opts;
  opts.per_task = 8;
  opts.seed = 5;
  opts.workers = 2;
  std::vector<Problem> one = {problems()[0]};
  auto again = generate_tests(one, *judge_, opts);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->problems[0].tests.code, problem("add").tests.code);
}

}  // namespace
}  // namespace stepcoder::tasks
