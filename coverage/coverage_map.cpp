// Decoding and merging of counters, and the per-line view shared by the reports.
#include "coverage/coverage_map.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "coverage/runtime.h"

namespace stepcoder::coverage {

CoverageMap decode(const Instrumented& inst, std::string_view shared) {
  CoverageMap m;
  if (shared.size() < shared_bytes_for(inst.counters)) return m;
  std::vector<uint64_t> words(inst.counters + kTrailerWords);
  std::memcpy(words.data(), shared.data(), words.size() * sizeof(uint64_t));
  if (words[inst.counters] != kSharedMagic || words[inst.counters + 1] != inst.counters) return m;
  words.resize(inst.counters);
  m.counts = std::move(words);
  m.valid = true;
  return m;
}

void merge_into(CoverageMap& total, const CoverageMap& one) {
  if (!one.valid) return;
  if (total.counts.size() < one.counts.size()) total.counts.resize(one.counts.size(), 0);
  for (size_t i = 0; i < one.counts.size(); ++i) total.counts[i] += one.counts[i];
  total.valid = true;
}

std::vector<LineCount> line_counts(const Instrumented& inst, const CoverageMap& map) {
  std::map<int, uint64_t> lines;
  auto note = [&](int line, uint64_t c) {
    auto [it, fresh] = lines.emplace(line, c);
    if (!fresh) it->second = std::max(it->second, c);
  };
  for (const Statement& s : inst.statements) note(s.span.line, map.count(s.counter));
  for (const Function& f : inst.functions) note(f.name_line, map.count(f.counter));
  std::vector<LineCount> out;
  out.reserve(lines.size());
  for (const auto& [line, count] : lines) out.push_back({line, count});
  return out;
}

CoverageSummary summarize(const Instrumented& inst, const CoverageMap& map) {
  CoverageSummary s;
  for (const Statement& st : inst.statements) {
    ++s.statements;
    s.statements_hit += map.count(st.counter) > 0;
  }
  for (const LineCount& l : line_counts(inst, map)) {
    ++s.lines;
    s.lines_hit += l.count > 0;
  }
  for (const Function& f : inst.functions) {
    ++s.functions;
    s.functions_hit += map.count(f.counter) > 0;
  }
  return s;
}

}  // namespace stepcoder::coverage
