// Runs the built `stepcoder` binary: bad input gets a clear message naming the file (and line)
// and a non-zero exit, never a crash; every verb answers --help; unknown verbs are errors;
// every benchmark answers --help.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "tests/app/run_cli.h"
#include "util/files.h"
#include "util/jsonl.h"

namespace stepcoder {
namespace {

using testing::Outcome;
using testing::run_cli;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("cli-test");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<TempDir>(std::move(*d));
  }
  std::string write(const std::string& name, const std::string& text) {
    std::string p = dir_->file(name);
    EXPECT_TRUE(write_file_atomic(p, text));
    return p;
  }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(CliTest, RunReportsVerdictAndExitCode) {
  std::string ok = write("ok.cpp", "#include <cstdio>\nint main() { std::puts(\"hi\"); }\n");
  Outcome o = run_cli("run " + ok + " --json");
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find("\"verdict\":\"passed\""), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("\"stdout\":\"hi\\n\""), std::string::npos) << o.output;
  for (const char* key : {"exit_code", "signal", "stderr", "compile_ms", "run_ms", "diagnostics"})
    EXPECT_NE(o.output.find(std::string("\"") + key + "\""), std::string::npos) << key;
  std::string bad = write("bad.cpp", "int main() { return x; }\n");
  Outcome b = run_cli("run " + bad + " --json");
  EXPECT_EQ(b.code, 1);
  EXPECT_NE(b.output.find("\"verdict\":\"compile_error\""), std::string::npos) << b.output;
  EXPECT_NE(b.output.find("\"line\":1"), std::string::npos) << b.output;
}

TEST_F(CliTest, RunFeedsStdin) {
  std::string prog = write("echo.cpp", "#include <iostream>\nint main() { int a; std::cin >> a; std::cout << a * 2; }\n");
  std::string in = write("in.txt", "21\n");
  Outcome o = run_cli("run " + prog + " --stdin " + in);
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_EQ(o.output.rfind("42", 0), 0u) << o.output;  // program output first, then the verdict
}

TEST_F(CliTest, MissingFilesAreNamed) {
  Outcome o = run_cli("run " + dir_->file("nope.cpp"));
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.output.find("nope.cpp: No such file or directory"), std::string::npos) << o.output;
  Outcome j = run_cli("judge " + dir_->file("nope.jsonl"));
  EXPECT_EQ(j.code, 2);
  EXPECT_NE(j.output.find("nope.jsonl"), std::string::npos) << j.output;
}

TEST_F(CliTest, BadBytesInProgramsAreRejected) {
  std::string nul = write("nul.cpp", std::string("int main() {\0}\n", 15));
  Outcome o = run_cli("run " + nul);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.output.find("nul.cpp: NUL byte at byte 12"), std::string::npos) << o.output;
  std::string latin = write("latin.cpp", "// caf\xe9\nint main() {}\n");
  Outcome l = run_cli("run " + latin);
  EXPECT_EQ(l.code, 2);
  EXPECT_NE(l.output.find("latin.cpp: invalid UTF-8 at byte 6"), std::string::npos) << l.output;
}

TEST_F(CliTest, MalformedJsonLineIsNamedWithItsLine) {
  std::string p = write("p.jsonl",
                        "{\"task_id\":\"a\",\"prompt\":\"int f() {\\n\",\"canonical_solution\":\"return 1;}\\n\","
                        "\"tests\":{\"kind\":\"assert\",\"code\":\"int main(){assert(f()==1);}\"}}\n"
                        "{\"task_id\": \"b\", \n");
  Outcome o = run_cli("judge " + p);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.output.find("p.jsonl:2:"), std::string::npos) << o.output;
}

TEST_F(CliTest, UnknownFormatsAreRejected) {
  std::string p = write("odd.jsonl", "{\"question\": 1, \"weird\": true}\n");
  Outcome o = run_cli("judge " + p);
  EXPECT_NE(o.code, 0);
  EXPECT_NE(o.output.find("odd.jsonl:1"), std::string::npos) << o.output;
  Outcome f = run_cli("judge " + p + " --format cobol");
  EXPECT_NE(f.code, 0);
  EXPECT_NE(f.output.find("cobol"), std::string::npos) << f.output;
}

TEST_F(CliTest, SolutionsForUnknownTasksAreRejected) {
  std::string p = write("p.jsonl",
                        "{\"task_id\":\"a\",\"prompt\":\"int f() {\\n\",\"canonical_solution\":\"return 1;}\\n\","
                        "\"tests\":{\"kind\":\"assert\",\"code\":\"int main(){assert(f()==1);}\"}}\n");
  std::string s = write("s.jsonl", "{\"task_id\":\"zzz\",\"solution\":\"return 2;}\\n\"}\n");
  Outcome o = run_cli("judge " + p + " --solutions " + s);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.output.find("task 'zzz' is not in"), std::string::npos) << o.output;
  std::string good = write("g.jsonl", "{\"task_id\":\"a\",\"solution\":\"return 1;}\\n\"}\n"
                                      "{\"task_id\":\"a\",\"solution\":\"return 2;}\\n\"}\n");
  Outcome g = run_cli("judge " + p + " --solutions " + good + " --json");
  EXPECT_EQ(g.code, 1) << g.output;  // the second solution fails
  EXPECT_NE(g.output.find("1 passed, 1 failed"), std::string::npos) << g.output;
}

// With --coverage, each solution's FGO-kept share: below 1 where the tests skip a branch.
TEST_F(CliTest, JudgeWithCoverageGivesTheShareFgoKeeps) {
  std::string p = write("p.jsonl",
                        "{\"task_id\":\"branch\",\"prompt\":\"int f(int x) {\\n\",\"canonical_solution\":"
                        "\"    if (x > 100) return 7;\\n    return 1;\\n}\\n\",\"tests\":{\"kind\":\"assert\",\"code\":"
                        "\"int main(){assert(f(1)==1);}\"}}\n"
                        "{\"task_id\":\"straight\",\"prompt\":\"int g(int x) {\\n\",\"canonical_solution\":"
                        "\"    return x + 1;\\n}\\n\",\"tests\":{\"kind\":\"assert\",\"code\":"
                        "\"int main(){assert(g(1)==2);}\"}}\n");
  Outcome o = run_cli("judge " + p + " --json --coverage " + dir_->file("cov"));
  ASSERT_EQ(o.code, 0) << o.output;
  std::map<std::string, double> kept;
  size_t at = 0;
  for (size_t nl; (nl = o.output.find('\n', at)) != std::string::npos; at = nl + 1) {
    Json j = Json::parse(o.output.substr(at, nl - at), nullptr, false);
    if (j.is_object() && j.contains("fgo_kept")) kept[j["task_id"].get<std::string>()] = j["fgo_kept"].get<double>();
  }
  ASSERT_EQ(kept.size(), 2u) << o.output;
  // "return7;" of "if(x>100)return7;return1;}" never ran: 8 of 26 non-blank bytes.
  EXPECT_NEAR(kept["branch"], 18.0 / 26.0, 1e-9) << o.output;
  EXPECT_EQ(kept["straight"], 1.0) << o.output;
  EXPECT_NE(o.output.find("2 passed, 0 failed; FGO keeps 84.6% of the solutions (mean of 2"), std::string::npos)
      << o.output;
}

TEST_F(CliTest, BadConfigNamesFileLineAndKey) {
  std::string prog = write("ok.cpp", "int main() {}\n");
  std::string cfg = write("c.yaml", "sandbox:\n  run:\n    cpu_ms: -5\n");
  Outcome o = run_cli("run " + prog + " --config " + cfg);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.output.find("c.yaml:3:13: sandbox.run.cpu_ms: -5 is below the minimum 10"),
            std::string::npos)
      << o.output;
  std::string typo = write("t.yaml", "sandbox:\n  compilr: g++\n");
  Outcome t = run_cli("run " + prog + " --config " + typo);
  EXPECT_EQ(t.code, 2);
  EXPECT_NE(t.output.find("t.yaml:2:3: unknown key 'sandbox.compilr' (did you mean 'sandbox.compiler'?)"),
            std::string::npos)
      << t.output;
}

// The judge's verbs read a run config through the run's one schema: a whole training config
// serves them, and a mistake anywhere in it is reported, not skipped.
TEST_F(CliTest, JudgeVerbsReadTheWholeRunConfig) {
  std::string prog = write("ok.cpp", "int main() {}\n");
  std::string full = write("run.yaml", "model:\n  dim: 64\nppo:\n  samples_per_prompt: 2\n"
                                       "sandbox:\n  workers: 1\n");
  Outcome ok = run_cli("run " + prog + " --config " + full);
  EXPECT_EQ(ok.code, 0) << ok.output;
  std::string bad = write("bad.yaml", "model:\n  dimm: 64\nsandbox:\n  workers: 1\n");
  Outcome b = run_cli("run " + prog + " --config " + bad);
  EXPECT_EQ(b.code, 2);
  EXPECT_NE(b.output.find("bad.yaml:2:3: unknown key 'model.dimm'"), std::string::npos) << b.output;
  Outcome s = run_cli("run " + prog + " --set model.dim=8");
  EXPECT_EQ(s.code, 2);
  EXPECT_NE(s.output.find("only sandbox.* keys can be set here"), std::string::npos) << s.output;
}

TEST(CliHelpTest, EveryVerbHasHelp) {
  Outcome top = run_cli("--help");
  ASSERT_EQ(top.code, 0) << top.output;
  // Subcommands are listed under "Subcommands:" as "  name   description".
  size_t at = top.output.find("Subcommands:");
  ASSERT_NE(at, std::string::npos) << top.output;
  int verbs = 0;
  size_t pos = top.output.find('\n', at);
  while (pos != std::string::npos && pos + 1 < top.output.size()) {
    size_t end = top.output.find('\n', pos + 1);
    std::string line = top.output.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
    pos = end;
    if (line.size() < 3 || line[0] != ' ' || line[2] == ' ') continue;
    std::string verb = line.substr(2, line.find(' ', 2) - 2);
    Outcome h = run_cli(verb + " --help");
    EXPECT_EQ(h.code, 0) << verb << ": " << h.output;
    EXPECT_NE(h.output.find("Usage"), std::string::npos) << verb;
    ++verbs;
  }
  EXPECT_GE(verbs, 3);
}

// The edges a new user meets: an unknown verb is an error that names it and the nearest verb,
// with or without --help, at the top level and below it; a usage error exits 2.
TEST(CliEdgeTest, UnknownVerbsAreErrorsThatNameTheNearestVerb) {
  struct Case {
    std::string args, names, suggests;
  };
  const Case cases[] = {
      {"frobnicate", "unknown verb 'frobnicate'", ""},
      {"nonsense --help", "unknown verb 'nonsense'", ""},
      {"critic train --help", "unknown verb 'critic'", ""},
      {"trian config.yaml", "unknown verb 'trian'", "did you mean 'train'?"},
      {"--help replya", "unknown verb 'replya'", "did you mean 'replay'?"},
      {"tokenizer encdoe --help", "unknown verb 'tokenizer encdoe'", "did you mean 'tokenizer encode'?"},
  };
  for (const Case& c : cases) {
    Outcome o = run_cli(c.args);
    EXPECT_EQ(o.code, 2) << c.args << ": " << o.output;
    EXPECT_NE(o.output.find(c.names), std::string::npos) << c.args << ": " << o.output;
    if (!c.suggests.empty()) {
      EXPECT_NE(o.output.find(c.suggests), std::string::npos) << c.args << ": " << o.output;
    }
    EXPECT_EQ(o.output.find("Subcommands:"), std::string::npos) << c.args << ": the top-level help instead of an error";
  }
  // Known verbs still answer --help, however it is placed, and a missing verb is a usage error.
  EXPECT_EQ(run_cli("train --help").code, 0);
  EXPECT_EQ(run_cli("--help train").code, 0);
  EXPECT_EQ(run_cli("tokenizer encode --help").code, 0);
  Outcome none = run_cli("");
  EXPECT_EQ(none.code, 2) << none.output;
  Outcome missing = run_cli("train");
  EXPECT_EQ(missing.code, 2) << missing.output;
  EXPECT_NE(missing.output.find("config"), std::string::npos) << missing.output;
}

TEST_F(CliTest, ReportAndReplayOfADirectoryThatIsNotARunSaySo) {
  const std::string empty = dir_->file("empty");
  ASSERT_TRUE(make_dirs(empty));
  Outcome report = run_cli("report " + empty);
  EXPECT_EQ(report.code, 2) << report.output;
  EXPECT_NE(report.output.find("not a run directory"), std::string::npos) << report.output;
  EXPECT_FALSE(file_exists(empty + "/report.html"));
  Outcome replay = run_cli("replay " + empty);
  EXPECT_EQ(replay.code, 2) << replay.output;
  EXPECT_NE(replay.output.find("a run directory"), std::string::npos) << replay.output;
}

// Every benchmark answers --help with its usage and exit 0, without running; an unknown
// argument is an error.
TEST(CliEdgeTest, EveryBenchmarkAnswersHelp) {
  int found = 0;
  for (const char* bench : {"sandbox_bench", "coverage_bench", "model_bench"}) {
    const std::string path = std::string(STEPCODER_BINARY_DIR) + "/" + bench;
    if (!file_exists(path)) continue;  // built with STEPCODER_BENCH only
    ++found;
    Outcome help = testing::run_shell(path + " --help 2>&1");
    EXPECT_EQ(help.code, 0) << bench << ": " << help.output;
    EXPECT_EQ(help.output.rfind("usage: ", 0), 0u) << bench << ": " << help.output;
    EXPECT_LE(std::count(help.output.begin(), help.output.end(), '\n'), 4) << bench << " ran instead: " << help.output;
    Outcome bad = testing::run_shell(path + " --no-such-flag 2>&1");
    EXPECT_EQ(bad.code, 2) << bench << ": " << bad.output;
  }
  if (found == 0) GTEST_SKIP() << "no benchmark is built (STEPCODER_BENCH=OFF)";
}

}  // namespace
}  // namespace stepcoder
