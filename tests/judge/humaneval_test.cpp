// HumanEval-X C++ through the judge: every reference solution passes, and solutions that
// compute wrong answers fail — hand-written classic mistakes, and one mutant per task.
#include <gtest/gtest.h>

#include "sandbox/pool.h"
#include "tasks/problem_io.h"
#include "tests/judge/mutants.h"
#include "tests/sandbox/test_judge.h"
#include "util/files.h"

namespace stepcoder {
namespace {

const std::string kPath = std::string(STEPCODER_SOURCE_DIR) + "/../shared/data/external/humaneval-x_cpp.jsonl.gz";

std::vector<tasks::Problem> load_or_skip() {
  if (!file_exists(kPath)) return {};
  auto set = tasks::load_problems(kPath);
  if (!set) ADD_FAILURE() << set.error();
  return set ? set->problems : std::vector<tasks::Problem>{};
}

#define SKIP_WITHOUT_DATA(problems)                                                           \
  if (problems.empty())                                                                       \
  GTEST_SKIP() << kPath << " not found: HumanEval-X C++ is read from ../shared/data/external " \
                           "(see README, 'Data')"

std::vector<sandbox::JudgeResult> judge_all(const std::vector<sandbox::JudgeRequest>& reqs) {
  sandbox::JudgePool pool(sandbox::test_support::shared_judge(), 2);
  return pool.judge_all(reqs);
}

TEST(HumanEvalTest, EveryCanonicalSolutionPasses) {
  auto problems = load_or_skip();
  SKIP_WITHOUT_DATA(problems);
  ASSERT_EQ(problems.size(), 164u);
  std::vector<sandbox::JudgeRequest> reqs;
  for (const auto& p : problems) reqs.push_back(p.request(p.canonical_solution));
  auto results = judge_all(reqs);
  int passed = 0, apart = 0;
  for (size_t i = 0; i < problems.size(); ++i) {
    passed += results[i].verdict == sandbox::Verdict::Passed;
    apart += results[i].isolation == sandbox::Isolation::Split;
    EXPECT_EQ(results[i].verdict, sandbox::Verdict::Passed)
        << problems[i].task_id << ": " << results[i].message;
    EXPECT_DOUBLE_EQ(results[i].pass_ratio, 1.0) << problems[i].task_id;
    // Only a type the call codec lacks keeps the tests in the program's process (CPP/22 and
    // CPP/137 pass boost::any).
    if (results[i].isolation == sandbox::Isolation::Split) continue;
    EXPECT_NE(results[i].isolation_note.find("no matching function for call to 'put("), std::string::npos)
        << problems[i].task_id << ": " << results[i].isolation_note;
  }
  EXPECT_EQ(passed, 164);
  EXPECT_GE(apart, 162) << "HumanEval-X tests run apart from the program";
}

// Classic mistakes, each wrong on at least one of the task's tests. (Not CPP/23: its tests
// call strlen(""), which resolves to the C library's strlen, never to the solution.)
struct Wrong {
  const char* task_id;
  const char* completion;
  sandbox::Verdict verdict = sandbox::Verdict::Failed;
};
const Wrong kWrong[] = {
    // has_close_elements: compares each element with itself, always true.
    {"CPP/0", "    for (int i=0;i<numbers.size();i++)\n    for (int j=0;j<numbers.size();j++)\n"
              "    if (abs(numbers[i]-numbers[j])<threshold) return true;\n    return false;\n}\n"},
    // truncate_number: returns the integer part.
    {"CPP/2", "    return number-(number-int(number));\n}\n"},
    // below_zero: checks only the final balance.
    {"CPP/3", "    int num=0;\n    for (int i=0;i<operations.size();i++) num+=operations[i];\n"
              "    return num<0;\n}\n"},
    // greatest_common_divisor: returns the smaller number.
    {"CPP/13", "    return a<b?a:b;\n}\n"},
    // all_prefixes: misses the whole string.
    {"CPP/14", "    vector<string> out;\n    for (int i=1;i<str.length();i++) out.push_back(str.substr(0,i));\n"
               "    return out;\n}\n"},
    // string_sequence: starts at 1.
    {"CPP/15", "    string out=\"1\";\n    for (int i=2;i<=n;i++) out=out+\" \"+to_string(i);\n    return out;\n}\n"},
    // how_many_times: counts non-overlapping occurrences.
    {"CPP/18", "    int out=0; size_t pos=0;\n    if (substring.empty()) return 0;\n"
               "    while ((pos=str.find(substring,pos))!=string::npos) { out++; pos+=substring.length(); }\n"
               "    return out;\n}\n"},
    // triangle_area: forgets the half.
    {"CPP/45", "    return a*h;\n}\n"},
    // is_prime: 1 counted as prime.
    {"CPP/31", "    for (long long i=2;i*i<=n;i++) if (n%i==0) return false;\n    return true;\n}\n"},
    // fib: fib(1) = 0.
    {"CPP/55", "    int a=0,b=1;\n    for (int i=0;i<n-1;i++) { int c=a+b; a=b; b=c; }\n    return a;\n}\n"},
    // An exit(0) before the tests can check anything: the program ended during a call.
    {"CPP/55", "    exit(0);\n}\n", sandbox::Verdict::RuntimeError},
    // Hard-codes the first visible example only.
    {"CPP/13", "    return 1;\n}\n"},
};

TEST(HumanEvalTest, HandWrittenWrongSolutionsFail) {
  auto problems = load_or_skip();
  SKIP_WITHOUT_DATA(problems);
  std::vector<sandbox::JudgeRequest> reqs;
  for (const Wrong& w : kWrong) {
    auto it = std::find_if(problems.begin(), problems.end(),
                           [&](const tasks::Problem& p) { return p.task_id == w.task_id; });
    ASSERT_NE(it, problems.end()) << w.task_id;
    reqs.push_back(it->request(w.completion));
  }
  auto results = judge_all(reqs);
  for (size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(results[i].verdict, kWrong[i].verdict)
        << kWrong[i].task_id << " variant " << i << ": " << sandbox::verdict_name(results[i].verdict)
        << " " << results[i].message;
    EXPECT_LT(results[i].pass_ratio, 1.0) << kWrong[i].task_id;
  }
}

// One mutant per task. Some mutants are equivalent to the original (a flipped comparison on a
// branch the tests never reach, `<` vs `<=` at a boundary no input hits), so a few surviving is
// expected; the judge must reject the great majority and never crash on them.
TEST(HumanEvalTest, MutantsAreRejected) {
  auto problems = load_or_skip();
  SKIP_WITHOUT_DATA(problems);
  std::vector<sandbox::JudgeRequest> reqs;
  std::vector<std::string> names;
  for (const auto& p : problems) {
    auto m = testing_support::mutate(p.canonical_solution);
    if (!m) continue;
    reqs.push_back(p.request(m->text));
    names.push_back(p.task_id + " " + m->what);
  }
  ASSERT_GE(reqs.size(), 150u);
  auto results = judge_all(reqs);
  int killed = 0;
  std::string survivors;
  for (size_t i = 0; i < reqs.size(); ++i) {
    if (results[i].verdict != sandbox::Verdict::Passed) ++killed;
    else survivors += "  " + names[i] + "\n";
  }
  double rate = double(killed) / reqs.size();
  std::printf("mutants rejected: %d of %zu (%.1f%%); survivors:\n%s", killed, reqs.size(),
              100 * rate, survivors.c_str());
  EXPECT_GE(rate, 0.85) << survivors;
  // 148 of 157 with the tests in the program's process, before they ran apart from it.
  EXPECT_GE(killed, 148) << survivors;
}

}  // namespace
}  // namespace stepcoder
