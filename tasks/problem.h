// A problem: what the model is shown, a reference solution, and executable tests.
// The project's JSONL format (one object a line) is the contract with users' scripts:
//   {"task_id": "sum/0", "prompt": "...", "canonical_solution": "...",
//    "tests": {"kind": "io", "cases": [{"input": "1 2\n", "output": "3\n"}]}
//          or {"kind": "assert", "code": "int main(){ assert(f(1)==2); }"},
//    "entry_point": "f", "difficulty": "easy", "family": "sum", "split": "train",
//    "holdout": "cross"}   (optional fields may be absent)
// The program judged is prompt + completion; for a reference run, completion is
// canonical_solution.
#pragma once

#include <string>
#include <vector>

#include "sandbox/judge.h"

namespace stepcoder::tasks {

struct Problem {
  std::string task_id;
  std::string prompt;              // description and, for function tasks, the signature
  std::string canonical_solution;  // text that follows the prompt; may be empty (no reference)
  sandbox::Tests tests;
  std::string entry_point;         // function name for function-level tasks
  std::string difficulty;
  std::string family;
  std::string split;               // "train", "valid", "test" or empty
  // For held-out test problems: which kind of generalization they measure ("swap", "and",
  // "cross", "char", "two_param"; see tasks/gen/SUITE.md). Empty otherwise.
  std::string holdout;
  // Where it came from, for error messages: "tasks.jsonl:17".
  std::string origin;

  std::string program(const std::string& completion) const { return prompt + completion; }
  std::string canonical_program() const { return prompt + canonical_solution; }
  // The tests as the judge runs them: assert tests carry the prompt's declaration of the entry
  // point, so that they run apart from the program (sandbox/split_harness.h). Derived problems
  // (curriculum stages, whose prompt holds part of the solution) keep the original's.
  sandbox::Tests judged_tests() const;
  sandbox::JudgeRequest request(const std::string& completion) const {
    sandbox::JudgeRequest r;
    r.program = program(completion);
    r.tests = judged_tests();
    return r;
  }
};

}  // namespace stepcoder::tasks
