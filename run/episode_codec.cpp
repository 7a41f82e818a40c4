// The episode store's column codecs (see episode_codec.h).
#include "run/episode_codec.h"

#include <algorithm>

namespace stepcoder::run {

Spans spans_from_ends(const std::string& token_ends, int tokens, size_t completion_size);

// "1011" from {1, 0, 1, 1}.
std::string mask_text(const std::vector<uint8_t>& mask);
// "3,7,12" from {3, 7, 12}.
std::string join_ints(const std::vector<int>& values);

Spans spans_from_ends(const std::string& token_ends, int tokens, size_t completion_size) {
  Spans spans;
  size_t begin = 0, end = 0;
  bool digits = false;
  for (size_t i = 0; i <= token_ends.size(); ++i) {
    const char ch = i < token_ends.size() ? token_ends[i] : ',';
    if (ch >= '0' && ch <= '9') {
      end = end * 10 + static_cast<size_t>(ch - '0'), digits = true;
    } else if (ch == ',' && digits) {
      spans.emplace_back(begin, std::min(end, completion_size));
      begin = spans.back().second, end = 0, digits = false;
    }
  }
  if (tokens >= 0) spans.resize(static_cast<size_t>(tokens), {completion_size, completion_size});
  return spans;
}

std::string mask_text(const std::vector<uint8_t>& mask) {
  std::string s;
  for (uint8_t m : mask) s += m ? '1' : '0';
  return s;
}

std::string join_ints(const std::vector<int>& values) {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) s += (i ? "," : "") + std::to_string(values[i]);
  return s;
}

}  // namespace stepcoder::run
