// Problem files: project JSONL round trip, errors naming file and line, and the importers
// (HumanEval-X, MBXP, APPS) on small records and on the real external files.
#include "tasks/problem_io.h"

#include <gtest/gtest.h>

#include "tasks/importers.h"
#include "util/files.h"

namespace stepcoder::tasks {
namespace {

const std::string kExternal = STEPCODER_SOURCE_DIR "/../shared/data/external";

struct Fixture : ::testing::Test {
  void SetUp() override {
    auto d = TempDir::create("tasks-io-test");
    ASSERT_TRUE(d) << d.error();
    dir = std::make_unique<TempDir>(std::move(*d));
  }
  std::string write(const std::string& name, const std::string& text) {
    std::string p = dir->file(name);
    EXPECT_TRUE(write_file_atomic(p, text));
    return p;
  }
  std::unique_ptr<TempDir> dir;
};

using ProblemIoTest = Fixture;

Problem io_problem() {
  Problem p;
  p.task_id = "sum/0";
  p.prompt = "/* add */\nint main() {\n";
  p.canonical_solution = "    int a, b;\n    cin >> a >> b;\n    cout << a + b << endl;\n}\n";
  p.tests.kind = sandbox::Tests::Kind::Io;
  p.tests.cases.push_back({"1 2\n", std::string("3\n")});
  p.tests.cases.push_back({"5 5\n", std::nullopt});
  p.family = "sum";
  p.difficulty = "easy";
  p.split = "train";
  return p;
}

TEST_F(ProblemIoTest, ProjectFormatRoundTrips) {
  Problem a = io_problem();
  Problem b;
  b.task_id = "f/1";
  b.prompt = "int f(int x) {\n";
  b.canonical_solution = "    return x + 1;\n}\n";
  b.tests.kind = sandbox::Tests::Kind::Assert;
  b.tests.code = "int main() { assert(f(1) == 2); }";
  b.entry_point = "f";
  std::string path = dir->file("p.jsonl");
  ASSERT_TRUE(write_problems(path, {a, b}));
  auto set = load_problems(path);
  ASSERT_TRUE(set) << set.error();
  EXPECT_EQ(set->format, "project");
  ASSERT_EQ(set->problems.size(), 2u);
  const Problem& ra = set->problems[0];
  EXPECT_EQ(ra.task_id, a.task_id);
  EXPECT_EQ(ra.canonical_solution, a.canonical_solution);
  ASSERT_EQ(ra.tests.cases.size(), 2u);
  EXPECT_EQ(ra.tests.cases[0].output.value_or("?"), "3\n");
  EXPECT_FALSE(ra.tests.cases[1].output.has_value());
  EXPECT_EQ(ra.split, "train");
  EXPECT_EQ(ra.origin, path + ":1");
  const Problem& rb = set->problems[1];
  EXPECT_EQ(rb.tests.kind, sandbox::Tests::Kind::Assert);
  EXPECT_EQ(rb.tests.code, b.tests.code);
  EXPECT_EQ(rb.entry_point, "f");
  EXPECT_EQ(rb.canonical_program(), b.prompt + b.canonical_solution);
}

TEST_F(ProblemIoTest, MalformedRecordNamesFileAndLine) {
  std::string good = problem_to_json(io_problem()).dump();
  Json bad = problem_to_json(io_problem());
  bad["task_id"] = "sum/1";
  bad["prompt"] = 7;
  Json bad_kind = problem_to_json(io_problem());
  bad_kind["task_id"] = "sum/2";
  bad_kind["tests"]["kind"] = "exact";
  std::string path = write("bad.jsonl", good + "\n" + bad.dump() + "\n" + bad_kind.dump() + "\n");
  auto set = load_problems(path);
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().find("bad.jsonl:2: field 'prompt' must be a string"), std::string::npos)
      << set.error();

  auto skipped = load_problems(path, LoadOptions{"auto", /*skip_bad=*/true});
  ASSERT_TRUE(skipped) << skipped.error();
  EXPECT_EQ(skipped->problems.size(), 1u);
  EXPECT_EQ(skipped->skipped_bad, 2);
  ASSERT_EQ(skipped->warnings.size(), 2u);
  EXPECT_NE(skipped->warnings[1].find(":3: tests.kind must be"), std::string::npos)
      << skipped->warnings[1];
}

TEST_F(ProblemIoTest, DuplicateIdsAndBrokenJsonAreErrors) {
  std::string row = problem_to_json(io_problem()).dump();
  auto dup = load_problems(write("dup.jsonl", row + "\n" + row + "\n"));
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().find("dup.jsonl:2: duplicate task_id"), std::string::npos) << dup.error();
  auto broken = load_problems(write("broken.jsonl", row + "\n{\"task_id\": \n"));
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().find("broken.jsonl:2"), std::string::npos) << broken.error();
  auto unknown = load_problems(write("unknown.jsonl", "{\"x\": 1}\n"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().find("unknown.jsonl:1: cannot tell the format"), std::string::npos);
  auto bad_name = load_problems(write("ok.jsonl", row + "\n"), LoadOptions{"csv"});
  ASSERT_FALSE(bad_name);
  EXPECT_NE(bad_name.error().find("unknown format \"csv\""), std::string::npos);
  EXPECT_FALSE(write_problems(dir->file("x.jsonl.gz"), {io_problem()}));
}

TEST_F(ProblemIoTest, AppsRecordsWithTextEncodedFields) {
  Json rec = {{"problem_id", 12},
              {"question", "Add two numbers. Comments end with */ in C."},
              {"solutions", Json(std::vector<std::string>{"int main(){int a,b;}"}).dump()},
              {"input_output", Json({{"inputs", {"1 2\n", {"3", "4"}}}, {"outputs", {"3\n", "7\n"}}})
                                   .dump()},
              {"difficulty", "introductory"}};
  Json call_based = rec;
  call_based["problem_id"] = 13;
  call_based["input_output"] = Json({{"fn_name", "f"}, {"inputs", {1}}, {"outputs", {2}}}).dump();
  Json no_solution = rec;
  no_solution["problem_id"] = 14;
  no_solution["solutions"] = "";
  std::string path = write("apps.jsonl", rec.dump() + "\n" + call_based.dump() + "\n" +
                                             no_solution.dump() + "\n");
  auto strict = load_problems(path);
  ASSERT_FALSE(strict);
  EXPECT_NE(strict.error().find("apps.jsonl:2: field 'input_output' is call-based"),
            std::string::npos)
      << strict.error();
  auto set = load_problems(path, LoadOptions{"apps", /*skip_bad=*/true});
  ASSERT_TRUE(set) << set.error();
  EXPECT_EQ(set->format, "apps");
  EXPECT_EQ(set->skipped_bad, 1);
  EXPECT_EQ(set->skipped_no_solution, 1);
  ASSERT_EQ(set->problems.size(), 1u);
  const Problem& p = set->problems[0];
  EXPECT_EQ(p.task_id, "apps/12");
  EXPECT_EQ(p.difficulty, "introductory");
  EXPECT_EQ(p.prompt.find("*/ in C"), std::string::npos) << "comment must not close early";
  ASSERT_EQ(p.tests.cases.size(), 2u);
  EXPECT_EQ(p.tests.cases[1].input, "3\n4\n");
  EXPECT_EQ(p.tests.cases[1].output.value_or(""), "7\n");
}

TEST(ImportersTest, FindsEntryPoint) {
  EXPECT_EQ(find_entry_point("#include <x>\nint f(int a) {\n"), "f");
  EXPECT_EQ(find_entry_point("bool g(vector<int> v){\n  if (x) {\n"), "g");
  EXPECT_EQ(find_entry_point("int a(){}\nstring decode_shift(string s){\n  // x\n"),
            "decode_shift");
  EXPECT_EQ(find_entry_point("no functions here"), "");
}

TEST(ImportersTest, DetectsFormats) {
  EXPECT_EQ(detect_format({{"task_id", "a"}, {"prompt", ""}, {"tests", Json::object()}}),
            "project");
  EXPECT_EQ(detect_format({{"prompt", ""}, {"test", ""}, {"declaration", ""}}), "humaneval-x");
  EXPECT_EQ(detect_format({{"prompt", ""}, {"test", ""}, {"entry_point", "f"}}), "mbxp");
  EXPECT_EQ(detect_format({{"question", ""}, {"input_output", ""}}), "apps");
  EXPECT_EQ(detect_format({{"text", ""}}), "");
}

TEST(ExternalDataTest, HumanEvalXGives164) {
  std::string path = kExternal + "/humaneval-x_cpp.jsonl.gz";
  if (!file_exists(path)) GTEST_SKIP() << "external data absent: " << path;
  auto set = load_problems(path);
  ASSERT_TRUE(set) << set.error();
  EXPECT_EQ(set->format, "humaneval-x");
  ASSERT_EQ(set->problems.size(), 164u);
  EXPECT_EQ(set->skipped_no_solution, 0);
  for (const Problem& p : set->problems) {
    EXPECT_FALSE(p.entry_point.empty()) << p.task_id;
    EXPECT_EQ(p.tests.kind, sandbox::Tests::Kind::Assert);
    EXPECT_NE(p.tests.code.find("main"), std::string::npos) << p.task_id;
  }
  EXPECT_EQ(set->problems[0].entry_point, "has_close_elements");
  EXPECT_EQ(set->problems[10].entry_point, "make_palindrome");
}

TEST(ExternalDataTest, MbcppGives773WithReferences) {
  std::string path = kExternal + "/mbxp_mbcpp_release_v1.2.jsonl";
  if (!file_exists(path)) GTEST_SKIP() << "external data absent: " << path;
  auto set = load_problems(path);
  ASSERT_TRUE(set) << set.error();
  EXPECT_EQ(set->format, "mbxp");
  EXPECT_EQ(set->problems.size(), 773u);
  EXPECT_EQ(set->skipped_no_solution, 75);
  auto all = load_problems(path, LoadOptions{"mbxp", false, /*keep_without_solution=*/true});
  ASSERT_TRUE(all) << all.error();
  EXPECT_EQ(all->problems.size(), 848u);
  for (const Problem& p : set->problems) {
    EXPECT_FALSE(p.entry_point.empty()) << p.task_id;
    EXPECT_NE(p.prompt.find(p.entry_point), std::string::npos) << p.task_id;
  }
}

}  // namespace
}  // namespace stepcoder::tasks

namespace stepcoder::tasks {
namespace {

// Importing writes the project format; judging that file must judge exactly the programs and
// tests of the original, so verdicts cannot differ.
TEST(ExternalDataTest, ImportedFilesJudgeTheSameRequests) {
  for (const char* name : {"humaneval-x_cpp.jsonl.gz", "mbxp_mbcpp_release_v1.2.jsonl"}) {
    std::string path = kExternal + "/" + name;
    if (!file_exists(path)) GTEST_SKIP() << "external data absent: " << path;
    auto original = load_problems(path);
    ASSERT_TRUE(original) << original.error();
    auto dir = TempDir::create("tasks-import-test");
    ASSERT_TRUE(dir);
    ASSERT_TRUE(write_problems(dir->file("imported.jsonl"), original->problems));
    auto imported = load_problems(dir->file("imported.jsonl"));
    ASSERT_TRUE(imported) << imported.error();
    ASSERT_EQ(imported->problems.size(), original->problems.size());
    for (size_t i = 0; i < original->problems.size(); ++i) {
      const Problem& a = original->problems[i];
      const Problem& b = imported->problems[i];
      sandbox::JudgeRequest ra = a.request(a.canonical_solution), rb = b.request(b.canonical_solution);
      EXPECT_EQ(ra.program, rb.program) << a.task_id;
      EXPECT_EQ(ra.tests.code, rb.tests.code) << a.task_id;
      EXPECT_EQ(ra.tests.kind, rb.tests.kind) << a.task_id;
      EXPECT_EQ(a.entry_point, b.entry_point);
    }
  }
}

}  // namespace
}  // namespace stepcoder::tasks
