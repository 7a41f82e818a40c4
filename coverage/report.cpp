// LCOV, JSON and HTML renderings of a coverage map.
#include "coverage/report.h"

#include <cctype>
#include <map>
#include <set>

#include "coverage/token_mask.h"

namespace stepcoder::coverage {

namespace {

// LCOV keys functions by name; overloads and lambdas on one line get "@LINE" or "#N" suffixes.
std::vector<std::string> unique_names(const Instrumented& inst) {
  std::map<std::string, int> uses;
  for (const Function& f : inst.functions) ++uses[f.name];
  std::vector<std::string> out;
  std::set<std::string> taken;
  for (const Function& f : inst.functions) {
    std::string n = uses[f.name] > 1 ? f.name + "@" + std::to_string(f.name_line) : f.name;
    std::string base = n;
    for (int k = 2; !taken.insert(n).second; ++k) n = base + "#" + std::to_string(k);
    out.push_back(n);
  }
  return out;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string to_lcov(const Instrumented& inst, const CoverageMap& map,
                    const std::string& source_path, const std::string& test_name) {
  // genhtml accepts only letters, digits and '_' in test names.
  std::string tn;
  for (char c : test_name) tn += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  std::string out;
  out += "TN:" + tn + "\n";
  out += "SF:" + source_path + "\n";
  std::vector<std::string> names = unique_names(inst);
  int hit = 0;
  for (size_t i = 0; i < inst.functions.size(); ++i)
    out += "FN:" + std::to_string(inst.functions[i].name_line) + "," + names[i] + "\n";
  for (size_t i = 0; i < inst.functions.size(); ++i) {
    uint64_t c = map.count(inst.functions[i].counter);
    hit += c > 0;
    out += "FNDA:" + std::to_string(c) + "," + names[i] + "\n";
  }
  out += "FNF:" + std::to_string(inst.functions.size()) + "\nFNH:" + std::to_string(hit) + "\n";
  int lines = 0, lines_hit = 0;
  for (const LineCount& l : line_counts(inst, map)) {
    ++lines;
    lines_hit += l.count > 0;
    out += "DA:" + std::to_string(l.line) + "," + std::to_string(l.count) + "\n";
  }
  out += "LF:" + std::to_string(lines) + "\nLH:" + std::to_string(lines_hit) + "\n";
  out += "end_of_record\n";
  return out;
}

Json to_json(const Instrumented& inst, const CoverageMap& merged,
             const std::vector<CoverageMap>& per_test) {
  CoverageSummary s = summarize(inst, merged);
  Json j;
  j["valid"] = merged.valid;
  j["summary"] = {{"statements", s.statements}, {"statements_hit", s.statements_hit},
                  {"lines", s.lines},           {"lines_hit", s.lines_hit},
                  {"functions", s.functions},   {"functions_hit", s.functions_hit}};
  Json fs = Json::array();
  for (const Function& f : inst.functions)
    fs.push_back({{"name", f.name}, {"line", f.name_line}, {"begin", f.span.begin},
                  {"end", f.span.end}, {"end_line", f.span.end_line},
                  {"lambda", f.is_lambda}, {"count", merged.count(f.counter)}});
  j["functions"] = std::move(fs);
  Json ss = Json::array();
  for (const Statement& st : inst.statements)
    ss.push_back({{"line", st.span.line}, {"column", st.span.column},
                  {"end_line", st.span.end_line}, {"end_column", st.span.end_column},
                  {"begin", st.span.begin}, {"end", st.span.end}, {"function", st.function},
                  {"count", merged.count(st.counter)}});
  j["statements"] = std::move(ss);
  Json ls = Json::array();
  for (const LineCount& l : line_counts(inst, merged)) ls.push_back({l.line, l.count});
  j["lines"] = std::move(ls);
  Json ts = Json::array();
  for (const CoverageMap& m : per_test) {
    Json counts = Json::array();
    for (const Statement& st : inst.statements) counts.push_back(m.count(st.counter));
    ts.push_back({{"valid", m.valid},
                  {"statements_hit", summarize(inst, m).statements_hit},
                  {"counts", std::move(counts)}});
  }
  j["tests"] = std::move(ts);
  return j;
}

std::string to_html(const Instrumented& inst, const CoverageMap& map, const std::string& title) {
  std::map<int, uint64_t> counts;
  for (const LineCount& l : line_counts(inst, map)) counts[l.line] = l.count;
  std::vector<ByteState> states = byte_states(inst, map);
  CoverageSummary s = summarize(inst, map);
  std::string out =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
      "</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse;"
      "font-family:monospace;font-size:13px}td{padding:0 8px;white-space:pre;vertical-align:top}"
      ".n{color:#888;text-align:right}.c{text-align:right}.hit .c{background:#cfc}"
      ".miss .c{background:#fcc}.miss td.s{background:#fee}.u{background:#fbb}"
      "</style></head><body>\n<h1>" + html_escape(title) + "</h1>\n<p>";
  out += std::to_string(s.lines_hit) + " of " + std::to_string(s.lines) + " lines, " +
         std::to_string(s.statements_hit) + " of " + std::to_string(s.statements) +
         " statements, " + std::to_string(s.functions_hit) + " of " +
         std::to_string(s.functions) + " functions executed" +
         (map.valid ? "" : " (no counters came back: coverage unknown)") + ".</p>\n<table>\n";
  const std::string& text = inst.program;
  size_t pos = 0;
  for (int line = 1; pos <= text.size(); ++line) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl;
    auto it = counts.find(line);
    std::string cls = it == counts.end() ? "" : it->second > 0 ? "hit" : "miss";
    out += "<tr class=\"" + cls + "\"><td class=\"n\">" + std::to_string(line) +
           "</td><td class=\"c\">" + (it == counts.end() ? "" : std::to_string(it->second)) +
           "</td><td class=\"s\">";
    // Code that no test ran is marked at character level: what the token mask drops.
    bool open = false;
    for (size_t i = pos; i < end; ++i) {
      bool unrun = map.valid && states[i] == ByteState::NotRun && text[i] != ' ';
      if (unrun != open) out += unrun ? "<span class=\"u\">" : "</span>";
      open = unrun;
      out += html_escape(std::string(1, text[i]));
    }
    if (open) out += "</span>";
    out += "</td></tr>\n";
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  out += "</table>\n</body></html>\n";
  return out;
}

std::string tracefile_name(const std::string& task_id) {
  std::string n;
  for (char c : task_id)
    n += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  return (n.empty() ? "program" : n) + ".info";
}

}  // namespace stepcoder::coverage
