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

AblationRow row_from_eval(const std::string& name, const Json& eval, double train_seconds, int64_t seed) {
  AblationRow row;
  row.name = name, row.train_seconds = train_seconds, row.seed = seed;
  row.problems = eval.value("problems", 0);
  row.task_ids = eval.value("task_ids", std::vector<std::string>{});
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
    if (row.pass1 >= 0) {
      const int n = std::max(1, greedy->value("samples_per_problem", 1));
      for (int c : greedy->value("correct", std::vector<int>{})) row.greedy.push_back(static_cast<double>(c) / n);
      if (row.greedy.size() != row.task_ids.size()) row.greedy.clear(), row.task_ids.clear();
    }
  }
  for (const Json& r : results)
    if (row.pass5 < 0 && r.value("temperature", 0.0) > 0 && r.contains("pass@5"))
      row.pass5 = r["pass@5"].get<double>(), row.pass5_temperature = r["temperature"].get<double>(),
      row.pass5_n = r.value("samples_per_problem", 0);
  return row;
}

AblationRow failed_row(const std::string& name, const std::string& error, int64_t seed) {
  AblationRow row;
  row.name = name, row.error = error, row.seed = seed;
  return row;
}

namespace {

// The arm's finished runs as [seed][problem] scores, or why there are none.
Expected<Scores> arm_scores(const std::vector<const AblationRow*>& runs, std::vector<std::string>* task_ids) {
  Scores x;
  for (const AblationRow* r : runs) {
    if (!r->error.empty()) continue;
    if (r->greedy.empty()) return Error("a run lists no per-problem results (evaluate it again)");
    if (x.empty()) *task_ids = r->task_ids;
    else if (r->task_ids != *task_ids) return Error("its runs were evaluated on different problems");
    x.push_back(r->greedy);
  }
  if (x.empty()) return Error("no run finished");
  return x;
}

}  // namespace

Expected<std::vector<ArmSummary>> summarize_arms(const std::vector<AblationRow>& rows, const std::string& baseline,
                                                 const BootstrapOptions& o) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const AblationRow*>> by_arm;
  for (const AblationRow& r : rows) {
    if (!by_arm.count(r.name)) order.push_back(r.name);
    by_arm[r.name].push_back(&r);
  }
  if (!by_arm.count(baseline)) {
    std::string names;
    for (const auto& n : order) names += (names.empty() ? "" : ", ") + n;
    return Error("baseline " + baseline + ": no such arm (arms: " + (names.empty() ? "none" : names) + ")");
  }
  std::vector<std::string> base_ids;
  Expected<Scores> base = arm_scores(by_arm[baseline], &base_ids);
  std::vector<ArmSummary> out;
  for (const std::string& name : order) {
    ArmSummary a;
    a.name = name, a.baseline = name == baseline;
    for (const AblationRow* r : by_arm[name]) a.runs += 1, a.failed += !r->error.empty();
    std::vector<std::string> ids;
    Expected<Scores> x = arm_scores(by_arm[name], &ids);
    if (!x) {
      a.note = x.error();
      out.push_back(a);
      continue;
    }
    if (auto m = bootstrap_mean(*x, o); m) a.pass1 = *m;
    if (!a.baseline && !base) a.note = "baseline: " + base.error();
    if (!a.baseline && base) {
      if (ids != base_ids) a.note = "not paired: evaluated on other problems than the baseline";
      else if (x->size() != base->size())
        a.note = "not paired: " + std::to_string(x->size()) + " finished seeds, the baseline " + std::to_string(base->size());
      else if (auto d = bootstrap_difference(*x, *base, o); d)
        a.has_difference = true, a.difference = *d;
    }
    out.push_back(a);
  }
  return out;
}

namespace {

std::string points(double share) {  // a difference of shares, in percentage points
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", 100 * share);
  return buf;
}

std::string arms_markdown(const std::vector<ArmSummary>& arms) {
  std::string base;
  for (const ArmSummary& a : arms)
    if (a.baseline) base = a.name;
  std::string out = "| arm | runs | problems | greedy pass@1, mean [95% CI] | minus " + md_cell(base) +
                    ", points [95% CI] | note |\n|---|---:|---:|---:|---:|---|\n";
  for (const ArmSummary& a : arms) {
    const bool ok = a.pass1.seeds > 0;
    out += "| " + md_cell(a.name) + " | " + std::to_string(a.runs - a.failed) + (a.failed ? " (" + std::to_string(a.failed) + " failed)" : "") +
           " | " + (ok ? std::to_string(a.pass1.problems) : "—") + " | " +
           (ok ? fmt_pct(a.pass1.mean) + " [" + fmt_pct(a.pass1.low) + ", " + fmt_pct(a.pass1.high) + "]" : "—") + " | " +
           (a.baseline ? std::string("baseline")
                       : a.has_difference ? points(a.difference.mean) + " [" + points(a.difference.low) + ", " +
                                                points(a.difference.high) + "]"
                                          : "—") +
           " | " + md_cell(a.note) + " |\n";
  }
  return out;
}

Json interval_json(const Interval& i) {
  return {{"mean", i.mean}, {"low", i.low}, {"high", i.high}, {"seeds", i.seeds}, {"problems", i.problems}};
}

}  // namespace

std::string ablation_markdown(const std::vector<AblationRow>& rows, const std::vector<ArmSummary>& arms) {
  const std::vector<std::string> cols = verdict_columns(rows);
  const bool seeds = std::any_of(rows.begin(), rows.end(), [](const AblationRow& r) { return r.seed != 0; });
  std::string out = arms.empty() ? "" : arms_markdown(arms) + "\n";
  out += std::string("| config |") + (seeds ? " seed |" : "") + " problems | pass@1 (greedy) | pass@5 (T, n) |";
  for (const auto& c : cols) out += " " + c + " |";
  out += std::string(" train time | status |\n|---|") + (seeds ? "---:|" : "") + "---:|---:|---:|";
  for (size_t i = 0; i < cols.size(); ++i) out += "---:|";
  out += "---:|---|\n";
  for (const AblationRow& r : rows) {
    out += "| " + md_cell(r.name) + " | " + (seeds ? std::to_string(r.seed) + " | " : "") +
           (r.error.empty() ? std::to_string(r.problems) : "—") + " | " +
           (r.pass1 >= 0 ? fmt_pct(r.pass1) : "—") + " | " +
           (r.pass5 >= 0 ? fmt_pct(r.pass5) + " (" + fmt_num(r.pass5_temperature) + ", " + std::to_string(r.pass5_n) + ")" : "—") + " |";
    for (const auto& c : cols) out += " " + (r.verdicts.count(c) ? fmt_pct(r.verdicts.at(c)) : r.error.empty() ? "0.0%" : "—") + " |";
    out += " " + duration(r.train_seconds) + " | " + (r.error.empty() ? "ok" : md_cell("failed: " + r.error)) + " |\n";
  }
  return out;
}

Json ablation_json(const std::vector<AblationRow>& rows, const std::vector<ArmSummary>& arms) {
  Json out = Json::array();
  for (const AblationRow& r : rows) {
    Json j = {{"name", r.name}, {"ok", r.error.empty()}};
    if (r.seed != 0) j["seed"] = r.seed;
    if (!r.error.empty()) j["error"] = r.error;
    else j["problems"] = r.problems;
    if (r.pass1 >= 0) j["pass1_greedy"] = r.pass1;
    if (r.pass5 >= 0) j["pass5"] = {{"value", r.pass5}, {"temperature", r.pass5_temperature}, {"n", r.pass5_n}};
    if (!r.verdicts.empty()) j["verdicts"] = r.verdicts;
    if (r.train_seconds >= 0) j["train_seconds"] = r.train_seconds;
    out.push_back(j);
  }
  Json summary = Json::array();
  for (const ArmSummary& a : arms) {
    Json j = {{"name", a.name}, {"baseline", a.baseline}, {"runs", a.runs}, {"failed", a.failed}};
    if (a.pass1.seeds > 0) j["pass1_greedy"] = interval_json(a.pass1);
    if (a.has_difference) j["difference"] = interval_json(a.difference);
    if (!a.note.empty()) j["note"] = a.note;
    summary.push_back(j);
  }
  Json result = {{"configs", out}};
  if (!arms.empty()) result["arms"] = summary;
  return result;
}

}  // namespace stepcoder::report
