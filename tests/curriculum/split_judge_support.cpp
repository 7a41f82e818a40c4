// See split_judge_support.h. The judge is the tests' shared one (tests/sandbox/test_judge.h).
#include "tests/curriculum/split_judge_support.h"

#include "curriculum/splitter.h"
#include "sandbox/judge.h"
#include "tests/sandbox/test_judge.h"

namespace stepcoder::curriculum::test_support {

std::vector<std::string> judge_all_stages(const std::vector<tasks::Problem>& problems,
                                          const std::vector<std::string>& kinds, int* judged) {
  std::vector<std::string> failures;
  *judged = 0;
  for (const std::string& kind : kinds) {
    SplitOptions so;
    so.kind = kind;
    SplitResult r = split_problems(problems, so);
    for (size_t i = 0; i < problems.size(); ++i) {
      const ProblemSplit& s = r.problems[i];
      if (!s.error.empty()) failures.push_back(problems[i].task_id + " (" + kind + "): " + s.error);
      for (int st = 1; st <= s.stages(); ++st) {
        tasks::Problem q = stage_problem(problems[i], s, st);
        sandbox::JudgeResult res = sandbox::test_support::default_judge().judge(q.request(q.canonical_solution));
        ++*judged;
        if (res.verdict != sandbox::Verdict::Passed)
          failures.push_back(problems[i].task_id + " stage " + std::to_string(st) + "/" + std::to_string(s.stages()) +
                             " (" + kind + "): " + sandbox::verdict_name(res.verdict) + ": " + res.message);
      }
    }
  }
  return failures;
}

}  // namespace stepcoder::curriculum::test_support
