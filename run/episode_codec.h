// The compact text columns in which the episode store (episode_store.h) keeps a completion's
// per-token data, encoded by the trainer and decoded by replay and the report: token spans as
// their end offsets, and the FGO mask as one character per token.
//
//   std::string ends = join_ints({3, 7, 12});           // "3,7,12"
//   Spans spans = spans_from_ends(ends, 3, completion.size());   // {0,3} {3,7} {7,12}
//   std::string mask = mask_text({1, 0, 1});            // "101"
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stepcoder::run {

// Token spans are [begin, end) byte offsets in the completion, which starts at
// `completion_start` in `program`.
using Spans = std::vector<std::pair<size_t, size_t>>;

// Token spans from the episode store's token_ends column ("3,7,12"), padded to `tokens` with
// empty spans at the end of the completion (the trainer pads spans cut short by a stop string).
Spans spans_from_ends(const std::string& token_ends, int tokens, size_t completion_size);

// "1011" from {1, 0, 1, 1}.
std::string mask_text(const std::vector<uint8_t>& mask);
// "3,7,12" from {3, 7, 12}.
std::string join_ints(const std::vector<int>& values);

}  // namespace stepcoder::run
