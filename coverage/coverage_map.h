// Counter values of one or more runs of an instrumented program, decoded from the shared
// region the judge returns, and what they say per line and per function.
//
//   CoverageMap one = decode(inst, test_result.shared);   // invalid when nothing came back
//   merge_into(total, one);
//   for (const LineCount& l : line_counts(inst, total)) printf("%d %llu\n", l.line, l.count);
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "coverage/instrument.h"

namespace stepcoder::coverage {

struct CoverageMap {
  // False when no counters came back: the program was not run, or died before its static
  // initialization mapped the region. Coverage is then unknown, not zero.
  bool valid = false;
  std::vector<uint64_t> counts;  // one per counter

  uint64_t count(uint32_t counter) const {
    return counter < counts.size() ? counts[counter] : 0;
  }
};

// Reads the counters; a region that is too short or lacks the trailer gives an invalid map.
CoverageMap decode(const Instrumented& inst, std::string_view shared);
// Adds `one` to `total` (an invalid `one` adds nothing; `total` becomes valid with any valid one).
void merge_into(CoverageMap& total, const CoverageMap& one);

// An executable line: where a statement begins or a function is named; the count is the
// highest among them.
struct LineCount {
  int line = 0;
  uint64_t count = 0;
};
std::vector<LineCount> line_counts(const Instrumented& inst, const CoverageMap& map);

struct CoverageSummary {
  int statements = 0, statements_hit = 0;
  int lines = 0, lines_hit = 0;
  int functions = 0, functions_hit = 0;
};
CoverageSummary summarize(const Instrumented& inst, const CoverageMap& map);

}  // namespace stepcoder::coverage
