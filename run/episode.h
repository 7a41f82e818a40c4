// Judging one episode, written once for the trainer's rollout and for `stepcoder replay`: the
// verdict, the FGO token mask from coverage, and a mark per program line (which lines ran under
// the tests, which a compiler error or a crash points at); and the compact text columns in
// which the episode store keeps the mask and the token ends. No LibTorch.
//
//   JudgedEpisode j = judge_episode(judge, problem, completion, spans, /*fgo=*/true);
//   j.result.verdict;  j.executed;     // per token: 0 for code no test executed
//   j.lines;                           // ".++-!."
//   std::string column = mask_text(j.executed);   // "1101"
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coverage/judge_coverage.h"
#include "run/reward.h"
#include "sandbox/judge.h"
#include "tasks/problem.h"

namespace stepcoder::run {

struct JudgedEpisode {
  sandbox::JudgeResult result;
  std::vector<uint8_t> executed;  // one per token: 0 where FGO masks it out
  bool coverage = false;          // a coverage map exists (FGO on and the program compiled)
  std::string lines;              // line_marks() of the program
  double seconds = 0;             // wall time of the judging
};

// Judges problem.program(completion) against the problem's tests; with `fgo`, under coverage,
// masking the tokens (spans in the completion, one per token) of code no test executed.
JudgedEpisode judge_episode(sandbox::Judge& judge, const tasks::Problem& problem, const std::string& completion,
                            const Spans& spans, bool fgo);

// One character per line of `program`: '!' a line an error diagnostic (outside the tests) or
// a crash points at; else with a coverage map '+' some code on it ran, '-' code on it never ran,
// '.' no code (blank, comments, includes, globals). Without a coverage map (compile error, FGO
// off) every line that is not '!' is '.'.
std::string line_marks(const std::string& program, const coverage::CoverageResult* cov,
                       const sandbox::JudgeResult& result);


}  // namespace stepcoder::run
