// What the episode store keeps of a judged program beyond its verdict: a mark per program line
// (which lines ran under the tests, which a compiler error or a crash points at) and the
// token mask and token ends as the compact text columns of curriculum::EpisodeRow.
// No LibTorch.
//
//   coverage::CoverageResult cov;
//   JudgeResult r = coverage::judge_with_coverage(judge, req, &cov);
//   std::string lines = line_marks(req.program, cov.available ? &cov : nullptr, r);  // ".++-!."
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coverage/judge_coverage.h"
#include "sandbox/judge.h"

namespace stepcoder::trainer {

// One character per line of `program`: '!' a line an error diagnostic (outside the tests) or
// a crash points at; else with a coverage map '+' some code on it ran, '-' code on it never ran,
// '.' no code (blank, comments, includes, globals). Without a coverage map (compile error, FGO
// off) every line that is not '!' is '.'.
std::string line_marks(const std::string& program, const coverage::CoverageResult* cov,
                       const sandbox::JudgeResult& result);

// "1011" from {1, 0, 1, 1}.
std::string mask_text(const std::vector<uint8_t>& mask);
// "3,7,12" from {3, 7, 12}.
std::string join_ints(const std::vector<int>& values);

}  // namespace stepcoder::trainer
