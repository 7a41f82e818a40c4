// The judge on ordinary programs: stdin/stdout tests, verdicts, diagnostics, cache, limits.
#include <gtest/gtest.h>

#include <unistd.h>

#include "sandbox/pool.h"
#include "tests/sandbox/test_judge.h"
#include "util/files.h"

namespace stepcoder::sandbox {
namespace {

using test_support::run_program;
using test_support::shared_judge;

const char* kAdder = R"(#include <bits/stdc++.h>
using namespace std;
int main() {
    long a, b;
    cin >> a >> b;
    cout << a + b << endl;
    return 0;
}
)";

TEST(JudgeTest, IoCasesPassAndFail) {
  JudgeRequest req;
  req.program = kAdder;
  req.tests.cases = {{"1 2\n", "3\n"}, {"10 -4\n", "6"}, {"2 2\n", "5\n"}};
  JudgeResult r = shared_judge().judge(req);
  EXPECT_EQ(r.verdict, Verdict::Failed) << r.message;
  ASSERT_EQ(r.tests.size(), 3u);
  EXPECT_EQ(r.tests[0].verdict, Verdict::Passed);
  EXPECT_EQ(r.tests[1].verdict, Verdict::Passed);
  EXPECT_EQ(r.tests[2].verdict, Verdict::Failed);
  EXPECT_EQ(r.checks_passed, 2);
  EXPECT_NEAR(r.pass_ratio, 2.0 / 3, 1e-9);
  EXPECT_EQ(r.tests[0].stdout_text, "3\n");
}

TEST(JudgeTest, StopOnFirstFailureSkipsTheRest) {
  JudgeRequest req;
  req.program = kAdder;
  req.tests.cases = {{"1 1\n", "3\n"}, {"1 2\n", "3\n"}};
  req.stop_on_first_failure = true;
  JudgeResult r = shared_judge().judge(req);
  EXPECT_EQ(r.tests.size(), 1u);
  EXPECT_EQ(r.checks_total, 2);
  EXPECT_EQ(r.checks_passed, 0);
}

TEST(JudgeTest, CompileErrorHasLineAndColumn) {
  JudgeResult r = run_program("int main() {\n  int x = y;\n}\n");
  EXPECT_EQ(r.verdict, Verdict::CompileError);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].line, 2);
  EXPECT_EQ(r.diagnostics[0].column, 11);
  EXPECT_NE(r.diagnostics[0].message.find("'y'"), std::string::npos);
  EXPECT_NE(r.message.find("line 2"), std::string::npos) << r.message;
}

TEST(JudgeTest, RuntimeErrorsAreClassified) {
  JudgeResult segv = run_program("int main() { volatile int* p = nullptr; return *p; }\n");
  EXPECT_EQ(segv.verdict, Verdict::RuntimeError);
  EXPECT_EQ(segv.tests[0].signal, 11);
  JudgeResult exit3 = run_program("int main() { return 3; }\n");
  EXPECT_EQ(exit3.verdict, Verdict::RuntimeError);
  EXPECT_EQ(exit3.tests[0].exit_code, 3);
  JudgeResult div = run_program("int main(int argc, char**) { volatile int z = argc - 1; return 7 / z; }\n");
  EXPECT_EQ(div.verdict, Verdict::RuntimeError);
  EXPECT_EQ(div.tests[0].signal, 8);  // SIGFPE
  JudgeResult thrown = run_program("#include <vector>\nint main() { std::vector<int> v; return v.at(3); }\n");
  EXPECT_EQ(thrown.verdict, Verdict::RuntimeError);
}

TEST(JudgeTest, NoExpectedOutputMeansExitStatusOnly) {
  JudgeResult r = run_program("#include <cstdio>\nint main() { std::puts(\"hi\"); }\n");
  EXPECT_EQ(r.verdict, Verdict::Passed) << r.message;
  EXPECT_EQ(r.tests[0].stdout_text, "hi\n");
}

TEST(JudgeTest, StdinLargerThanAPipeBufferIsDelivered) {
  std::string input(1 << 20, 'a');
  input += "\n";
  JudgeResult r = run_program(
      "#include <bits/stdc++.h>\nint main(){ std::string s; std::cin >> s; std::cout << s.size(); }\n",
      input, std::to_string(1 << 20));
  EXPECT_EQ(r.verdict, Verdict::Passed) << r.message;
}

TEST(JudgeTest, ProgramThatIgnoresStdinDoesNotHang) {
  std::string input(4 << 20, 'x');
  JudgeResult r = run_program("int main() { return 0; }\n", input);
  EXPECT_EQ(r.verdict, Verdict::Passed) << r.message;
}

TEST(JudgeTest, SecondCompileIsACacheHit) {
  std::string program = "int main() { return 0; } // cache-test " + std::to_string(::getpid()) + "\n";
  JudgeResult first = run_program(program);
  JudgeResult second = run_program(program);
  EXPECT_EQ(first.verdict, Verdict::Passed);
  EXPECT_FALSE(first.cache_hit);
  EXPECT_TRUE(second.cache_hit);
  EXPECT_LT(second.compile_ms, first.compile_ms);
}

TEST(JudgeTest, BadBytesAreACompileErrorNotACrash) {
  JudgeResult nul = run_program(std::string("int main() {\0}", 14));
  EXPECT_EQ(nul.verdict, Verdict::CompileError);
  EXPECT_NE(nul.message.find("NUL byte at byte 12"), std::string::npos) << nul.message;
  JudgeResult latin1 = run_program("int main() { /* caf\xe9 */ }\n");
  EXPECT_EQ(latin1.verdict, Verdict::CompileError);
  EXPECT_NE(latin1.message.find("not valid UTF-8"), std::string::npos);
}

TEST(JudgeTest, LineDirectivesDoNotMoveErrors) {
  // The error is on line 3 of the program, wherever a #line says it is.
  for (const char* directive : {"#line 1 \"tests.cpp\"", "# 7 \"harness\"", "%:line 9 \"interface\""}) {
    JudgeResult r = run_program(std::string("int main() {\n") + directive + "\n  int x = y;\n}\n");
    EXPECT_EQ(r.verdict, Verdict::CompileError) << directive;
    ASSERT_FALSE(r.diagnostics.empty()) << directive;
    EXPECT_FALSE(r.diagnostics[0].in_tests) << directive;
    EXPECT_EQ(r.diagnostics[0].line, 3) << directive << ": " << r.diagnostics[0].message;
    EXPECT_NE(r.message.find("line 3"), std::string::npos) << r.message;
  }
}

TEST(JudgeTest, MemoryIsTheProgramsOwnNotTheJudges) {
  // A judge holding 300 MiB (a trainer holds a model), a memory limit of 200 MiB: a program that
  // uses almost nothing reads as the runtime error it is, with its own small peak.
  std::vector<char> ballast(size_t{300} << 20);
  for (size_t i = 0; i < ballast.size(); i += 4096) ballast[i] = static_cast<char>(i);
  SandboxConfig cfg = test_support::test_config();
  cfg.run.memory_mb = 200;
  auto j = SandboxJudge::create(cfg);
  ASSERT_TRUE(j) << j.error();
  JudgeRequest req;
  req.program = "int main() { return 1; }\n";
  req.tests.cases = {{"", std::nullopt}};
  JudgeResult small = (*j)->judge(req);
  EXPECT_EQ(small.verdict, Verdict::RuntimeError) << small.message;
  ASSERT_EQ(small.tests.size(), 1u);
  EXPECT_LT(small.tests[0].max_rss_kb, 16 << 10);
  req.program = "#include <vector>\nint main() { std::vector<char> v(size_t{100} << 20, 1); return v[5] - 1; }\n";
  JudgeResult big = (*j)->judge(req);
  EXPECT_EQ(big.verdict, Verdict::Passed) << big.message;
  EXPECT_GT(big.tests[0].max_rss_kb, 95 << 10);
  EXPECT_LT(big.tests[0].max_rss_kb, 120 << 10);
  EXPECT_EQ(ballast[4096], static_cast<char>(4096));
}

TEST(JudgeTest, ClangWorksToo) {
  SandboxConfig cfg = test_support::test_config();
  cfg.compiler = "clang++";
  auto j = SandboxJudge::create(cfg);
  ASSERT_TRUE(j) << j.error();
  JudgeRequest req;
  req.program = kAdder;
  req.tests.cases = {{"2 3\n", "5\n"}};
  JudgeResult ok = (*j)->judge(req);
  EXPECT_EQ(ok.verdict, Verdict::Passed) << ok.message;
  req.program = "int main() {\n  int x = y;\n}\n";
  JudgeResult bad = (*j)->judge(req);
  EXPECT_EQ(bad.verdict, Verdict::CompileError);
  ASSERT_FALSE(bad.diagnostics.empty());
  EXPECT_EQ(bad.diagnostics[0].line, 2);
  EXPECT_NE(bad.diagnostics[0].message.find("'y'"), std::string::npos) << bad.diagnostics[0].message;
}

TEST(JudgeTest, ARelativeCacheDirectoryWorks) {
  // The compiler runs in the box's work directory: the judge must not hand it a relative path.
  auto dir = TempDir::create("stepcoder-relcache");
  ASSERT_TRUE(dir);
  char here[4096];
  ASSERT_NE(::getcwd(here, sizeof here), nullptr);
  ASSERT_EQ(::chdir(dir->path().c_str()), 0);
  SandboxConfig cfg = test_support::test_config();
  cfg.cache_dir = "relative/cache";
  auto j = SandboxJudge::create(cfg);
  JudgeResult r;
  if (j) {
    JudgeRequest req;
    req.program = kAdder;
    req.tests.cases = {{"2 3\n", "5\n"}};
    r = (*j)->judge(req);
  }
  ASSERT_EQ(::chdir(here), 0);
  ASSERT_TRUE(j) << j.error();
  EXPECT_EQ(r.verdict, Verdict::Passed) << r.message;
  EXPECT_TRUE(file_exists(dir->file("relative/cache/bin")));
}

TEST(JudgeTest, MissingCompilerIsAClearError) {
  SandboxConfig cfg = test_support::test_config();
  cfg.compiler = "no-such-compiler++";
  auto j = SandboxJudge::create(cfg);
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().find("no-such-compiler++"), std::string::npos);
}

TEST(JudgeTest, SharedRegionComesBackAfterACrash) {
  // The program writes into the shared region at fd 4, then crashes.
  JudgeRequest req;
  req.program = R"(#include <sys/mman.h>
#include <cstring>
int main() {
    char* p = (char*)mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, 4, 0);
    if (p == MAP_FAILED) return 2;
    std::memcpy(p, "counted", 7);
    volatile int* z = nullptr;
    return *z;
}
)";
  req.shared_bytes = 4096;
  req.tests.cases.push_back({"", std::nullopt});
  JudgeResult r = shared_judge().judge(req);
  EXPECT_EQ(r.verdict, Verdict::RuntimeError) << r.message;
  ASSERT_EQ(r.tests.size(), 1u);
  ASSERT_EQ(r.tests[0].shared.size(), 4096u);
  EXPECT_EQ(r.tests[0].shared.substr(0, 7), "counted");
}

TEST(JudgeTest, PoolJudgesInParallelInOrder) {
  JudgePool pool(shared_judge(), 2);
  std::vector<JudgeRequest> reqs;
  for (int i = 0; i < 6; ++i) {
    JudgeRequest r;
    r.program = kAdder;
    r.tests.cases = {{std::to_string(i) + " 1\n", std::to_string(i + 1)}};
    if (i == 3) r.tests.cases[0].output = "wrong";
    reqs.push_back(r);
  }
  size_t last = 0;
  std::vector<JudgeResult> out = pool.judge_all(reqs, [&](size_t n) { last = n; });
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(last, 6u);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(out[i].verdict, i == 3 ? Verdict::Failed : Verdict::Passed) << i;
}

}  // namespace
}  // namespace stepcoder::sandbox
