// Judging reference solutions of a problem set, fast: function-level problems whose tests are
// plain assert lists are judged many to a program (one compile instead of forty); a batch
// that does not pass is judged again one problem at a time, so verdicts are per problem.
//
//   VerifyReport r = verify_canonical(problems, judge, /*workers=*/2);
//   for (const auto& f : r.failures) printf("%s %s\n", f.task_id.c_str(), f.message.c_str());
#pragma once

#include <string>
#include <vector>

#include "sandbox/judge.h"
#include "tasks/problem.h"

namespace stepcoder::tasks {

struct CanonicalFailure {
  std::string task_id;
  std::string verdict;  // verdict_name()
  std::string message;
};

struct VerifyReport {
  int judged = 0;
  int passed = 0;
  int programs = 0;  // judge calls made (batches plus single problems)
  std::vector<CanonicalFailure> failures;
};

// The assert lines of test code in the suite's own format ("int main() {", "    assert(...);"
// lines, "    return 0;", "}"), or false when the code has any other shape.
bool plain_assert_lines(const std::string& test_code, std::vector<std::string>* lines);

VerifyReport verify_canonical(const std::vector<Problem>& problems, sandbox::Judge& judge,
                              int workers, int batch_size = 40);

}  // namespace stepcoder::tasks
