// gcov as an independent reference: over the HumanEval-X C++ canonical solutions with their
// tests, the executed lines of the solution part must agree with `g++ --coverage` + `gcov` on
// at least 99% of the lines both tools consider executable. Writes the figure and every
// difference to <build>/coverage-gcov-agreement.txt (quoted in coverage/COVERAGE.md).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "coverage/judge_coverage.h"
#include "tasks/problem_io.h"
#include "util/files.h"
#include "util/jsonl.h"

namespace stepcoder::coverage {
namespace {

const char* kData = STEPCODER_SOURCE_DIR "/../shared/data/external/humaneval-x_cpp.jsonl.gz";

int sh(const std::string& cmd, std::string* out) {
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[8192];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out->append(buf, n);
  int st = ::pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// Line -> count for `prog.cpp` as gcov reports it after one run of program + tests.
Expected<std::map<int, uint64_t>> gcov_lines(const std::string& dir, const std::string& source,
                                             const std::vector<std::string>& libs) {
  if (auto s = make_dirs(dir); !s) return Error(s.error());
  if (auto s = write_file_atomic(dir + "/prog.cpp", source); !s) return Error(s.error());
  std::string link;
  for (const auto& l : libs) link += " -l" + l;  // what the judge links (libcrypto for MD5)
  std::string out;
  int rc = sh("cd " + dir + " && g++ -std=c++17 -O0 --coverage -include ../stdcpp.h prog.cpp "
              "-o prog" + link + " >compile.log 2>&1 && { timeout 20 ./prog >/dev/null 2>&1; "
              "gcov -j -t prog.cpp 2>/dev/null; }",
              &out);
  if (rc != 0 || out.empty()) return Error("compiling or gcov failed (see " + dir + "/compile.log)");
  Json j = Json::parse(out, nullptr, false);
  if (j.is_discarded()) return Error("gcov output is not JSON");
  std::map<int, uint64_t> lines;
  for (const Json& f : j["files"]) {
    if (f["file"] != "prog.cpp") continue;
    for (const Json& l : f["lines"]) lines[l["line_number"].get<int>()] = l["count"].get<uint64_t>();
  }
  return lines;
}

struct Tally {
  std::mutex mu;
  int compared = 0, agreed = 0, problems = 0;
  std::vector<std::string> skipped, differences;
};

int line_of(const std::string& text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

void compare_one(sandbox::SandboxJudge& judge, const tasks::Problem& p, const std::string& dir,
                 const InstrumentOptions& opts, Tally& tally) {
  CoverageResult cov;
  sandbox::JudgeResult r = judge_with_coverage(judge, p.request(p.canonical_solution), &cov, opts);
  std::string program = p.canonical_program();
  auto ref = gcov_lines(dir, program + "\n" + p.tests.code, judge.config().libs);
  std::lock_guard<std::mutex> lock(tally.mu);
  if (!cov.available || !cov.merged.valid || !ref) {
    tally.skipped.push_back(p.task_id + ": " + (!cov.available ? cov.error : !ref ? ref.error() : "no counters") +
                            " (verdict " + sandbox::verdict_name(r.verdict) + ")");
    return;
  }
  ++tally.problems;
  // The solution part: lines holding text after the prompt.
  int first = line_of(program, p.prompt.size());
  int last = line_of(program, program.size() > 0 ? program.size() - 1 : 0);
  for (const LineCount& l : line_counts(cov.instrumented, cov.merged)) {
    if (l.line < first || l.line > last) continue;
    auto it = ref->find(l.line);
    if (it == ref->end()) continue;  // gcov sees no code there
    ++tally.compared;
    if ((l.count > 0) == (it->second > 0)) {
      ++tally.agreed;
      continue;
    }
    size_t b = 0;
    for (int k = 1; k < l.line; ++k) b = program.find('\n', b) + 1;
    std::string text = program.substr(b, program.find('\n', b) - b);
    tally.differences.push_back(p.task_id + ":" + std::to_string(l.line) + ": ours " +
                                std::to_string(l.count) + ", gcov " + std::to_string(it->second) +
                                ": " + text);
  }
}

TEST(GcovAgreement, HumanEvalXCanonicalSolutions) {
  if (!file_exists(kData)) GTEST_SKIP() << "HumanEval-X data not found at " << kData;
  auto set = tasks::load_problems(kData);
  ASSERT_TRUE(set) << set.error();
  sandbox::SandboxConfig cfg;
  cfg.cache_dir = STEPCODER_BINARY_DIR "/test-cache";
  auto judge = sandbox::SandboxJudge::create(cfg);
  ASSERT_TRUE(judge) << judge.error();
  auto tmp = TempDir::create("stepcoder-gcov");
  ASSERT_TRUE(tmp) << tmp.error();
  std::string pch_out;
  ASSERT_TRUE(write_file_atomic(tmp->file("stdcpp.h"), "#include <bits/stdc++.h>\n"));
  ASSERT_EQ(sh("cd " + tmp->path() + " && g++ -std=c++17 -O0 --coverage -x c++-header stdcpp.h "
               "-o stdcpp.h.gch 2>&1", &pch_out), 0) << pch_out;
  InstrumentOptions opts;
  opts.cache_dir = STEPCODER_BINARY_DIR "/coverage-cache";
  Tally tally;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < set->problems.size();)
      compare_one(**judge, set->problems[i], tmp->file("p" + std::to_string(i)), opts, tally);
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  double agreement = tally.compared ? double(tally.agreed) / tally.compared : 0;
  std::sort(tally.differences.begin(), tally.differences.end());
  std::string report = "problems compared: " + std::to_string(tally.problems) + " of " +
                       std::to_string(set->problems.size()) + "\nlines compared: " +
                       std::to_string(tally.compared) + "\nagreeing: " + std::to_string(tally.agreed) +
                       " (" + std::to_string(100 * agreement) + "%)\n\ndifferences:\n";
  for (const auto& d : tally.differences) report += "  " + d + "\n";
  report += "\nskipped:\n";
  for (const auto& s : tally.skipped) report += "  " + s + "\n";
  std::printf("%s", report.c_str());
  EXPECT_TRUE(write_file_atomic(STEPCODER_BINARY_DIR "/coverage-gcov-agreement.txt", report));
  EXPECT_GT(tally.problems, 150);
  EXPECT_GE(agreement, 0.99);
}

}  // namespace
}  // namespace stepcoder::coverage
