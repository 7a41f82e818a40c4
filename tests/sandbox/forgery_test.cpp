// Reward forgery: completions (tests/sandbox/forgery/*.cpp) that try to get `passed`, or a pass
// ratio, without computing the answer. Each names its problem, the class of trick, and its
// verdict when the tests run apart from the program (`expect`, the judge's way) and in the
// program's process (`in_process`, the fallback for problems whose entry point cannot be
// called apart, which admits some of these tricks: it is flagged in every verdict).
// Apart, no trick may pass or earn a pass ratio above an honest wrong answer's.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "sandbox/pool.h"
#include "tests/sandbox/test_judge.h"
#include "util/files.h"

namespace stepcoder::sandbox {
namespace {

const char* kContext =
    "#include <bits/stdc++.h>\n#include <fcntl.h>\n#include <sys/resource.h>\n#include <unistd.h>\n"
    "using namespace std;\n";

struct Problem {
  std::string declaration, tests, honest_wrong;  // honest_wrong: a wrong answer, no trick
};

const std::map<std::string, Problem>& problems() {
  static const std::map<std::string, Problem> p = {
      {"add",
       {"int add(int a, int b)",
        "int main() {\n  assert(add(1, 2) == 3);\n  assert(add(-1, 1) == 0);\n  assert(add(20, 22) == 42);\n}\n",
        "    return 0;\n}\n"}},
      {"greet",
       {"string greet(string name)",
        "int main() {\n  assert(greet(\"Bob\") == \"Hello, Bob!\");\n  assert(greet(\"\") == \"Hello, !\");\n}\n",
        "    return \"\";\n}\n"}},
      {"sorted",
       {"vector<int> sorted(vector<int> v)",
        "int main() {\n  assert(sorted({3, 1, 2}) == vector<int>({1, 2, 3}));\n"
        "  assert(sorted({5}) == vector<int>({5}));\n  assert(sorted({2, 2, 1}) == vector<int>({1, 2, 2}));\n}\n",
        "    return v;\n}\n"}},
      {"smallest",
       {"int smallest(vector<int> v)",
        "template <typename T> bool compare(T a, T b) { return a == b; }\n"
        "int main(int argc, char* argv[]) {\n"
        "    int x0 = smallest(vector<int>{3, 1, 2});\n"
        "    if (!(compare(x0, 1))) {\n        throw runtime_error(\"Exception -- test case 0 did not pass.\");\n    }\n"
        "    int x1 = smallest(vector<int>{7});\n"
        "    if (!(compare(x1, 7))) {\n        throw runtime_error(\"Exception -- test case 1 did not pass.\");\n    }\n"
        "    return 0;\n}\n",
        "    return 0;\n}\n"}},
  };
  return p;
}

struct Forgery {
  std::string name, problem, trick_class, completion;
  Verdict apart = Verdict::Passed, in_process = Verdict::Passed;
};

std::vector<Forgery> load_forgeries() {
  std::vector<Forgery> out;
  std::string dir = std::string(STEPCODER_SOURCE_DIR) + "/tests/sandbox/forgery";
  static const std::regex field(R"(// (problem|class|expect|in_process): ([^\n]+))");
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    auto text = read_file(e.path().string());
    if (!text) continue;
    Forgery f{e.path().filename().string(), "", "", *text};
    for (std::sregex_iterator it(text->begin(), text->end(), field), end; it != end; ++it) {
      std::string key = (*it)[1], value = (*it)[2];
      if (key == "problem") f.problem = value;
      if (key == "class") f.trick_class = value.substr(0, value.find(':'));
      auto v = parse_verdict(value);
      if (key == "expect" && v) f.apart = *v;
      if (key == "in_process" && v) f.in_process = *v;
    }
    out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const Forgery& a, const Forgery& b) { return a.name < b.name; });
  return out;
}

JudgeRequest request(const std::string& problem, const std::string& completion, bool apart) {
  const Problem& p = problems().at(problem);
  JudgeRequest r;
  r.program = kContext + p.declaration + " {\n" + completion;
  r.tests.kind = Tests::Kind::Assert;
  r.tests.code = p.tests;
  if (apart) r.tests.entry = {problem, p.declaration, kContext};
  return r;
}

TEST(ForgeryTest, NoTrickPassesOrEarnsMoreThanAnHonestWrongAnswer) {
  std::vector<Forgery> forgeries = load_forgeries();
  ASSERT_GE(forgeries.size(), 19u);
  std::vector<JudgeRequest> reqs;
  for (const auto& [name, p] : problems()) reqs.push_back(request(name, p.honest_wrong, true));
  for (const Forgery& f : forgeries) {
    ASSERT_TRUE(problems().count(f.problem)) << f.name << ": unknown problem " << f.problem;
    reqs.push_back(request(f.problem, f.completion, true));
    reqs.push_back(request(f.problem, f.completion, false));
  }
  JudgePool pool(test_support::shared_judge(), 2);
  std::vector<JudgeResult> results = pool.judge_all(reqs);
  std::map<std::string, double> honest;
  size_t k = 0;
  for (const auto& [name, p] : problems()) {
    EXPECT_EQ(results[k].verdict, Verdict::Failed) << name << ": " << results[k].message;
    honest[name] = results[k++].pass_ratio;
  }
  std::set<std::string> classes;
  for (const Forgery& f : forgeries) {
    const JudgeResult& apart = results[k++];
    const JudgeResult& one = results[k++];
    classes.insert(f.trick_class);
    EXPECT_NE(apart.verdict, Verdict::Passed) << f.name;
    EXPECT_EQ(apart.verdict, f.apart) << f.name << " (apart): " << verdict_name(apart.verdict) << ": "
                                      << apart.message;
    EXPECT_LE(apart.pass_ratio, honest[f.problem] + 1e-9)
        << f.name << ": a pass ratio above the honest wrong answer's";
    EXPECT_EQ(apart.isolation, Isolation::Split) << f.name;
    EXPECT_EQ(one.verdict, f.in_process) << f.name << " (in process): " << verdict_name(one.verdict)
                                         << ": " << one.message;
    EXPECT_EQ(one.isolation, Isolation::InProcess) << f.name;
  }
  // The classes the judge's review found, each represented.
  for (const char* c : {"preprocessor", "impersonation", "symbol interposition", "always-equal operators",
                        "report channel", "the nonce", "frame tricks"})
    EXPECT_TRUE(classes.count(c)) << "no forgery of class " << c;
}

}  // namespace
}  // namespace stepcoder::sandbox
