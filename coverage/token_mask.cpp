// Byte states by painting regions outer to inner: functions and statements nest, so sorting
// them by (begin, longer first) and painting in that order leaves each byte with the state
// of its innermost region. Programs are kilobytes; the cost is bytes times nesting depth.
#include "coverage/token_mask.h"

#include <algorithm>
#include <cctype>

namespace stepcoder::coverage {

std::vector<ByteState> byte_states(const Instrumented& inst, const CoverageMap& map) {
  struct Region {
    size_t begin, end;
    bool run;
  };
  std::vector<Region> regions;
  regions.reserve(inst.functions.size() + inst.statements.size());
  for (const Function& f : inst.functions)
    regions.push_back({f.span.begin, f.span.end, map.count(f.counter) > 0});
  for (const Statement& s : inst.statements)
    regions.push_back({s.span.begin, s.span.end, map.count(s.counter) > 0});
  std::stable_sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<ByteState> out(inst.program.size(), ByteState::Outside);
  for (const Region& r : regions) {
    size_t end = std::min(r.end, out.size());
    for (size_t i = r.begin; i < end; ++i) out[i] = r.run ? ByteState::Run : ByteState::NotRun;
  }
  return out;
}

std::vector<uint8_t> token_mask(const Instrumented& inst, const CoverageMap& map,
                                size_t completion_start,
                                const std::vector<std::pair<size_t, size_t>>& token_byte_ranges) {
  std::vector<uint8_t> mask(token_byte_ranges.size(), 1);
  if (!map.valid) return mask;
  std::vector<ByteState> states = byte_states(inst, map);
  const std::string& text = inst.program;
  for (size_t t = 0; t < token_byte_ranges.size(); ++t) {
    size_t b = completion_start + token_byte_ranges[t].first;
    size_t e = std::min(completion_start + token_byte_ranges[t].second, text.size());
    size_t p = b;
    while (p < e && std::isspace(static_cast<unsigned char>(text[p]))) ++p;
    if (p >= text.size()) continue;  // past the program: nothing to say
    mask[t] = states[p] == ByteState::NotRun ? 0 : 1;
  }
  return mask;
}

double kept_share(const Instrumented& inst, const CoverageMap& map, size_t completion_start) {
  if (!map.valid) return 1.0;
  std::vector<ByteState> states = byte_states(inst, map);
  size_t bytes = 0, kept = 0;
  for (size_t i = completion_start; i < inst.program.size(); ++i) {
    if (std::isspace(static_cast<unsigned char>(inst.program[i]))) continue;
    ++bytes;
    kept += states[i] != ByteState::NotRun;
  }
  return bytes ? static_cast<double>(kept) / static_cast<double>(bytes) : 1.0;
}

}  // namespace stepcoder::coverage
