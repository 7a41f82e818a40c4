// Executed-code masks for fine-grained optimization: which characters (and so which tokens) of
// a program ran under the tests. A character takes the state of the innermost statement or
// function around it: inside a statement, whether that statement ran; outside every statement
// of a function (signature, braces), whether the function was entered; outside every function
// (includes, globals), executed.
//
//   auto mask = token_mask(inst, result.merged, prompt.size(), token_ranges);
//   // mask[i] == 0: no test ran token i; its policy-gradient term is dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "coverage/coverage_map.h"
#include "coverage/instrument.h"

namespace stepcoder::coverage {

enum class ByteState : int8_t { Outside = -1, NotRun = 0, Run = 1 };

// One state per byte of inst.program.
std::vector<ByteState> byte_states(const Instrumented& inst, const CoverageMap& map);

// One mask value per token. Token ranges are [begin, end) byte offsets relative to the
// completion, which starts at `completion_start` in the program. A token takes the state of
// its first non-blank byte (a blank token, such as newline+indent, that of the byte after it).
// An invalid map (compile error, no counters) masks nothing: every token gets 1.
std::vector<uint8_t> token_mask(const Instrumented& inst, const CoverageMap& map,
                                size_t completion_start,
                                const std::vector<std::pair<size_t, size_t>>& token_byte_ranges);

// The share of the completion's non-blank bytes (from `completion_start` to the end of the
// program) that FGO keeps: every byte but those of statements no test ran. 1 for an invalid map.
double kept_share(const Instrumented& inst, const CoverageMap& map, size_t completion_start);

}  // namespace stepcoder::coverage
