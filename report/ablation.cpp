// Ablation table (see ablation.h).
#include "report/ablation.h"

#include <algorithm>
#include <cstdio>

#include "report/html.h"

namespace stepcoder::report {
namespace {

const std::vector<std::string> kMainVerdicts = {"passed", "failed", "compile_error", "runtime_error", "timeout"};

std::vector<std::string> verdict_columns(const std::vector<AblationRow>& rows) {
  std::vector<std::string> cols = kMainVerdicts;
  for (const AblationRow& r : rows)
    for (const auto& [v, share] : r.verdicts)
      if (std::find(cols.begin(), cols.end(), v) == cols.end()) cols.push_back(v);
  return cols;
}

std::string duration(double s) {
  if (s < 0) return "—";
  char buf[48];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm %02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh %02dm", static_cast<int>(s) / 3600, static_cast<int>(s) % 3600 / 60);
  return buf;
}

// Markdown cells must not contain '|' or line breaks.
std::string md_cell(std::string s) {
  for (char& c : s)
    if (c == '|' || c == '\n' || c == '\r') c = c == '|' ? '/' : ' ';
  return s;
}

}  // namespace

AblationRow row_from_eval(const std::string& name, const Json& eval, double train_seconds) {
  AblationRow row;
  row.name = name, row.train_seconds = train_seconds;
  row.problems = eval.value("problems", 0);
  const Json results = eval.value("results", Json::array());
  const Json* greedy = nullptr;
  for (const Json& r : results)
    if (!greedy && r.value("temperature", -1.0) == 0) greedy = &r;
  if (!greedy && !results.empty()) greedy = &results[0];
  if (greedy) {
    if (greedy->value("temperature", -1.0) == 0) row.pass1 = greedy->value("pass@1", -1.0);
    const Json mix = greedy->value("verdicts", Json::object());
    double total = 0;
    for (auto it = mix.begin(); it != mix.end(); ++it) total += it->get<double>();
    for (auto it = mix.begin(); it != mix.end(); ++it) row.verdicts[it.key()] = total > 0 ? it->get<double>() / total : 0;
  }
  for (const Json& r : results)
    if (row.pass5 < 0 && r.value("temperature", 0.0) > 0 && r.contains("pass@5"))
      row.pass5 = r["pass@5"].get<double>(), row.pass5_temperature = r["temperature"].get<double>(),
      row.pass5_n = r.value("samples_per_problem", 0);
  return row;
}

AblationRow failed_row(const std::string& name, const std::string& error) {
  AblationRow row;
  row.name = name, row.error = error;
  return row;
}

std::string ablation_markdown(const std::vector<AblationRow>& rows) {
  const std::vector<std::string> cols = verdict_columns(rows);
  std::string out = "| config | problems | pass@1 (greedy) | pass@5 (T, n) |";
  for (const auto& c : cols) out += " " + c + " |";
  out += " train time | status |\n|---|---:|---:|---:|";
  for (size_t i = 0; i < cols.size(); ++i) out += "---:|";
  out += "---:|---|\n";
  for (const AblationRow& r : rows) {
    out += "| " + md_cell(r.name) + " | " + (r.error.empty() ? std::to_string(r.problems) : "—") + " | " +
           (r.pass1 >= 0 ? fmt_pct(r.pass1) : "—") + " | " +
           (r.pass5 >= 0 ? fmt_pct(r.pass5) + " (" + fmt_num(r.pass5_temperature) + ", " + std::to_string(r.pass5_n) + ")" : "—") + " |";
    for (const auto& c : cols) out += " " + (r.verdicts.count(c) ? fmt_pct(r.verdicts.at(c)) : r.error.empty() ? "0.0%" : "—") + " |";
    out += " " + duration(r.train_seconds) + " | " + (r.error.empty() ? "ok" : md_cell("failed: " + r.error)) + " |\n";
  }
  return out;
}

Json ablation_json(const std::vector<AblationRow>& rows) {
  Json out = Json::array();
  for (const AblationRow& r : rows) {
    Json j = {{"name", r.name}, {"ok", r.error.empty()}};
    if (!r.error.empty()) j["error"] = r.error;
    else j["problems"] = r.problems;
    if (r.pass1 >= 0) j["pass1_greedy"] = r.pass1;
    if (r.pass5 >= 0) j["pass5"] = {{"value", r.pass5}, {"temperature", r.pass5_temperature}, {"n", r.pass5_n}};
    if (!r.verdicts.empty()) j["verdicts"] = r.verdicts;
    if (r.train_seconds >= 0) j["train_seconds"] = r.train_seconds;
    out.push_back(j);
  }
  return {{"configs", out}};
}

}  // namespace stepcoder::report
