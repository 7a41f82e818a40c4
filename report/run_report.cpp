// The run report page (see run_report.h). Each section is a function of the run data that
// returns HTML; a section without data says so in a note instead of drawing an empty plot.
#include "report/run_report.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>

#include "report/gallery.h"
#include "report/html.h"
#include "report/svg_plot.h"
#include "run/layout.h"
#include "run/metrics_keys.h"
#include "util/files.h"

namespace stepcoder::report {

namespace key = run::key;  // the names in metrics.jsonl
namespace {

const Json* json_at(const Json& j, const std::string& dotted) {
  const Json* cur = &j;
  size_t start = 0;
  while (true) {
    size_t dot = dotted.find('.', start);
    std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object() || !cur->contains(part)) return nullptr;
    cur = &(*cur)[part];
    if (dot == std::string::npos) return cur;
    start = dot + 1;
  }
}

}  // namespace

double number_at(const Json& j, const std::string& dotted) {
  const Json* v = json_at(j, dotted);
  return v && v->is_number() ? v->get<double>() : NAN;
}

namespace {

constexpr const char* kCss = R"(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:16px 0 6px}.sub{color:#666}.note{background:#fff8e1;border:1px solid #f0d27a;padding:6px 10px;margin:6px 0}
.plots{display:flex;flex-wrap:wrap;gap:12px}.plots svg{background:#fff;border:1px solid #e2e2e2}
svg text{font:11px sans-serif;fill:#333}svg .title{font-size:13px;font-weight:600}
table{border-collapse:collapse;background:#fff;margin:6px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f0f0f0}td.l,th.l{text-align:left}
pre.config{background:#fff;border:1px solid #ddd;padding:8px;overflow:auto;max-height:600px}
.gallery{display:flex;flex-direction:column;gap:10px}.episode{background:#fff;border:1px solid #ddd;border-left:5px solid #999}
.v-passed{border-left-color:#2ca02c}.v-failed{border-left-color:#ff7f0e}.v-compile_error{border-left-color:#d62728}
.hd{padding:4px 8px;background:#f6f6f6}.st{margin-left:12px;color:#555}.msg{padding:2px 8px;color:#a33;font-family:monospace;white-space:pre-wrap}
.badge{padding:1px 6px;border-radius:3px;background:#999;color:#fff;font-size:12px}.b-passed{background:#2ca02c}
.b-failed{background:#ff7f0e}.b-compile_error{background:#d62728}
.code{font:12px/1.35 monospace;white-space:pre;overflow-x:auto;padding:4px 0}.ln{padding-right:8px}
.no{display:inline-block;width:3em;color:#999;text-align:right;margin-right:8px;user-select:none}
.m-x{background:#e3f6e3}.m-u{background:#fde2e1}.m-e{background:#f8b4b0;font-weight:bold}.pr{color:#9a9a9a}
.key{display:inline-block;padding:1px 8px;margin-right:8px;border:1px solid #ddd}
)";

Series series_of(const std::vector<Json>& lines, const std::string& key, const std::string& name) {
  Series s{name, {}, {}};
  for (const Json& j : lines) s.x.push_back(number_at(j, key::kStep)), s.y.push_back(number_at(j, key));
  return s;
}

bool has_points(const Series& s) {
  return std::any_of(s.y.begin(), s.y.end(), [](double v) { return std::isfinite(v); });
}

std::string note(const std::string& text) { return "<p class=\"note\">" + html_escape(text) + "</p>"; }

struct CurveSpec {
  std::string title;
  std::vector<std::pair<std::string, std::string>> keys;  // (metrics key, legend name)
  bool percent = false, zero = false;
};

// One plot per spec whose keys have data; specs without data are left out.
std::string curves_html(const std::vector<Json>& lines, const std::vector<CurveSpec>& specs) {
  std::string out = "<div class=\"plots\">";
  for (const CurveSpec& c : specs) {
    std::vector<Series> series;
    for (const auto& [key, name] : c.keys)
      if (Series s = series_of(lines, key, name); has_points(s)) series.push_back(std::move(s));
    PlotOptions o;
    o.title = c.title, o.percent = c.percent, o.y_from_zero = c.zero;
    if (!series.empty()) out += line_plot_svg(series, o);
  }
  return out + "</div>";
}

// Numeric-looking category names sort as numbers ("2" before "10").
bool category_less(const std::string& a, const std::string& b) {
  char *ea, *eb;
  double x = std::strtod(a.c_str(), &ea), y = std::strtod(b.c_str(), &eb);
  if (*ea == 0 && *eb == 0 && !a.empty() && !b.empty()) return x < y;
  return a < b;
}

// The object at `key` of each line (an array counts index -> value) as stacked categories.
Stacked stacked_of(const std::vector<Json>& lines, const std::string& key) {
  std::vector<std::map<std::string, double>> rows;
  std::vector<std::string> cats;
  Stacked st;
  for (const Json& j : lines) {
    const Json* v = json_at(j, key);
    if (!v || !(v->is_object() || v->is_array()) || !std::isfinite(number_at(j, key::kStep))) continue;
    std::map<std::string, double> row;
    if (v->is_object()) {
      for (auto it = v->begin(); it != v->end(); ++it)
        if (it->is_number()) row[it.key()] = it->get<double>();
    } else {
      for (size_t i = 0; i < v->size(); ++i)
        if ((*v)[i].is_number()) row[std::to_string(i)] = (*v)[i].get<double>();
    }
    for (const auto& [c, x] : row)
      if (std::find(cats.begin(), cats.end(), c) == cats.end()) cats.push_back(c);
    st.x.push_back(number_at(j, key::kStep));
    rows.push_back(std::move(row));
  }
  std::sort(cats.begin(), cats.end(), category_less);
  st.categories = cats;
  for (const std::string& c : cats) {
    st.values.emplace_back();
    for (const auto& row : rows) st.values.back().push_back(row.count(c) ? row.at(c) : 0.0);
  }
  return st;
}

// "passed 41.7%, failed 33.3%, compile_error 25.0%" from {"passed":5,...}, largest first.
std::string verdict_mix_text(const Json& counts) {
  if (!counts.is_object()) return "";
  std::vector<std::pair<double, std::string>> v;
  double total = 0;
  for (auto it = counts.begin(); it != counts.end(); ++it)
    if (it->is_number()) v.emplace_back(it->get<double>(), it.key()), total += it->get<double>();
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out;
  for (const auto& [n, name] : v)
    out += (out.empty() ? "" : ", ") + name + " " + fmt_pct(total > 0 ? n / total : 0);
  return out;
}

std::string cell(const std::string& text, bool left = false) {
  return std::string(left ? "<td class=\"l\">" : "<td>") + text + "</td>";
}

std::string summary_html(const RunData& run) {
  std::string rows;
  auto row = [&](const std::string& k, const std::string& v) { rows += "<tr><th class=\"l\">" + k + "</th>" + cell(v, true) + "</tr>"; };
  if (!run.ppo.empty()) {
    const Json& last = run.ppo.back();
    row("PPO steps", fmt_num(number_at(last, key::kStep), 9));
    row("training time", fmt_num(number_at(last, key::kSeconds), 4) + " s");
    row("last reward", fmt_num(number_at(last, key::kReward)));
    row("last pass rate", fmt_pct(number_at(last, key::kPassRate)));
  }
  double best = -1, best_step = 0;
  std::string best_split;
  for (const Json& e : run.eval)
    if (double p = number_at(e, key::kPass1); std::isfinite(p) && p > best)
      best = p, best_step = number_at(e, key::kStep), best_split = e.value(key::kSplit, "");
  if (best >= 0) row("best held-out pass@1", fmt_pct(best) + " (" + html_escape(best_split) + ", step " + fmt_num(best_step, 9) + ")");
  // Train lines come every log_every steps; the last evaluation is at the step SFT stopped.
  if (!run.sft_train.empty()) {
    double sft_steps = number_at(run.sft_train.back(), key::kStep);
    if (!run.sft_eval.empty()) sft_steps = std::max(sft_steps, number_at(run.sft_eval.back(), key::kStep));
    row("SFT steps", fmt_num(sft_steps, 9));
  }
  if (run.episodes >= 0) row("episodes stored", std::to_string(run.episodes));
  std::string out = rows.empty() ? "" : "<table>" + rows + "</table>";
  for (const std::string& n : run.notes) out += note(n);
  return out;
}

std::string ppo_section(const RunData& run) {
  std::string out = "<h2 id=\"training\">Training (PPO)</h2>";
  if (run.ppo.empty()) return out + note("No PPO steps in metrics.jsonl yet.");
  out += curves_html(run.ppo, {
      {"Reward", {{key::kReward, "reward"}, {key::kTaskReward, "task reward"}}},
      {"Pass rate (training samples)", {{key::kPassRate, "pass rate"}, {key::kMixedVerdictShare, "mixed-verdict prompts"}}, true},
      {"KL to the reference", {{key::kKl, "kl"}, {key::kApproxKl, "approx kl (update)"}}, false, true},
      {"KL coefficient", {{key::kKlCoef, "kl_coef"}}, false, true},
      {"FGO kept fraction", {{key::kKeptFraction, "kept fraction"}, {key::kCoverageShare, "with coverage"}}, true},
      {"Policy entropy", {{key::kEntropy, "entropy"}}},
      {"Losses", {{key::kPolicyLoss, "policy"}, {key::kValueLoss, "value"}, {key::kSftLoss, "supervised (ppo.sft_coef)"}}},
      {"Clip fraction", {{key::kClipFraction, "clip fraction"}}, true},
      {"Throughput (tokens/s)", {{key::kTokensPerS, "tokens/s"}}, false, true},
  });
  Stacked verdicts = stacked_of(run.ppo, key::kVerdicts);
  PlotOptions o;
  o.title = "Verdict mix of training samples";
  if (!verdicts.x.empty()) out += "<div class=\"plots\">" + stacked_share_svg(verdicts, o) + "</div>";
  return out;
}

std::string eval_lines_table(const std::vector<Json>& lines) {
  std::vector<std::string> keys;
  for (const Json& j : lines)
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it->is_number() && it.key() != key::kStep && std::find(keys.begin(), keys.end(), it.key()) == keys.end())
        keys.push_back(it.key());
  std::string out = "<table class=\"eval-lines\"><tr><th>step</th><th class=\"l\">split</th>";
  for (const auto& k : keys) out += "<th>" + html_escape(k) + "</th>";
  out += "<th class=\"l\">verdicts</th></tr>";
  for (const Json& j : lines) {
    out += "<tr>" + cell(fmt_num(number_at(j, key::kStep), 9)) + cell(html_escape(j.value(key::kSplit, "")), true);
    for (const auto& k : keys) out += cell(j.contains(k) && j[k].is_number() ? fmt_num(j[k].get<double>(), 4) : "");
    out += cell(j.contains(key::kVerdicts) ? html_escape(verdict_mix_text(j[key::kVerdicts])) : "", true) + "</tr>";
  }
  return out + "</table>";
}

// `stepcoder eval --json` objects: a row per temperature.
std::string eval_files_table(const std::vector<EvalFile>& files) {
  std::vector<std::string> ks;
  for (const EvalFile& f : files)
    for (const Json& r : f.value.value("results", Json::array()))
      for (auto it = r.begin(); it != r.end(); ++it)
        if (it.key().rfind("pass@", 0) == 0 && std::find(ks.begin(), ks.end(), it.key()) == ks.end()) ks.push_back(it.key());
  std::sort(ks.begin(), ks.end(), [](const std::string& a, const std::string& b) { return std::atoi(a.c_str() + 5) < std::atoi(b.c_str() + 5); });
  std::string out = "<table class=\"eval-files\"><tr><th class=\"l\">file</th><th class=\"l\">checkpoint</th><th class=\"l\">split</th>"
                    "<th>problems</th><th>T</th><th>n</th>";
  for (const auto& k : ks) out += "<th>" + html_escape(k) + "</th>";
  out += "<th class=\"l\">verdicts</th></tr>";
  for (const EvalFile& f : files) {
    const Json& j = f.value;
    std::string head = cell(html_escape(f.name), true) + cell(html_escape(j.value("checkpoint", "")), true) +
                       cell(html_escape(j.value("split", j.value("data", ""))), true) +
                       cell(fmt_num(number_at(j, "problems"), 9));
    for (const Json& r : j.value("results", Json::array())) {
      out += "<tr>" + head + cell(fmt_num(number_at(r, "temperature"))) + cell(fmt_num(number_at(r, "samples_per_problem"), 9));
      for (const auto& k : ks) out += cell(r.contains(k) ? fmt_pct(number_at(r, k)) : "");
      out += cell(html_escape(verdict_mix_text(r.value("verdicts", Json::object()))), true) + "</tr>";
    }
    if (double n = number_at(j, "prompts_too_long"); std::isfinite(n) && n > 0)
      out += "<tr><td class=\"l\" colspan=\"" + std::to_string(7 + ks.size()) + "\">" + html_escape(f.name) + ": " +
             fmt_num(n, 9) + " prompts longer than the context (counted as failures)</td></tr>";
  }
  return out + "</table>";
}

std::string eval_section(const RunData& run) {
  std::string out = "<h2 id=\"evaluation\">Held-out evaluation</h2>";
  if (run.eval.empty() && run.eval_files.empty())
    return out + note("No evaluations yet (no eval lines in metrics.jsonl, no eval*.json files).");
  if (!run.eval.empty()) {
    std::map<std::string, std::vector<Json>> by_split;
    for (const Json& e : run.eval) by_split[e.value(key::kSplit, "held-out")].push_back(e);
    std::vector<Series> series;
    for (const auto& [split, lines] : by_split) series.push_back(series_of(lines, key::kPass1, "pass@1 " + split));
    PlotOptions o;
    o.title = "Held-out pass@1 (greedy)", o.percent = true;
    out += "<div class=\"plots\">" + line_plot_svg(series, o) + "</div>" + eval_lines_table(run.eval);
  }
  if (!run.eval_files.empty()) out += "<h3>Evaluation files</h3>" + eval_files_table(run.eval_files);
  return out;
}

std::string curriculum_section(const RunData& run) {
  Stacked stages = stacked_of(run.ppo, "curriculum.stage_hist");
  Stacked by_stage = stacked_of(run.ppo, "curriculum.pass_rate_by_stage");
  std::string out = "<h2 id=\"curriculum\">Curriculum</h2>";
  if (stages.x.empty() && by_stage.x.empty()) return out + note("No curriculum statistics in the PPO lines.");
  for (auto& c : stages.categories) c = "stage " + c;
  PlotOptions o;
  o.title = "Curriculum stage distribution";
  out += "<div class=\"plots\">" + stacked_share_svg(stages, o);
  std::vector<Series> series;
  for (size_t c = 0; c < by_stage.categories.size(); ++c)
    series.push_back({"stage " + by_stage.categories[c], by_stage.x, by_stage.values[c]});
  PlotOptions p;
  p.title = "Pass rate by stage", p.percent = true;
  out += line_plot_svg(series, p);
  if (Series adv = series_of(run.ppo, std::string(key::kCurriculum) + ".advances", "advances"); has_points(adv)) {
    PlotOptions a;
    a.title = "Stage advances", a.y_from_zero = true;
    out += line_plot_svg({adv}, a);
  }
  return out + "</div>";
}

// Splits the `time` categories into phases (stacked) and the rest: the whole step ("step",
// "total") and refinements of a phase ("judge_busy" beside "judge"), which would count twice.
Stacked phases_only(const Stacked& all, Stacked* rest) {
  Stacked phases;
  phases.x = all.x, rest->x = all.x;
  for (size_t c = 0; c < all.categories.size(); ++c) {
    const std::string& name = all.categories[c];
    bool whole = name == "step" || name == "total";
    size_t us = name.rfind('_');
    bool refines = us != std::string::npos &&
                   std::find(all.categories.begin(), all.categories.end(), name.substr(0, us)) != all.categories.end();
    Stacked& to = whole || refines ? *rest : phases;
    to.categories.push_back(name), to.values.push_back(all.values[c]);
  }
  return phases;
}

std::string time_rows(const Stacked& t, bool with_share) {
  double all = 0;
  std::vector<double> totals;
  for (const auto& v : t.values) totals.push_back(std::max(0.0, std::accumulate(v.begin(), v.end(), 0.0))), all += totals.back();
  std::string out;
  for (size_t c = 0; c < t.categories.size(); ++c)
    out += "<tr>" + cell(html_escape(t.categories[c]), true) + cell(fmt_num(totals[c], 4)) +
           cell(with_share ? fmt_pct(all > 0 ? totals[c] / all : 0) : "") + cell(fmt_num(totals[c] / t.x.size(), 3)) + "</tr>";
  return out;
}

std::string time_section(const RunData& run) {
  Stacked rest, t = phases_only(stacked_of(run.ppo, key::kTime), &rest);
  std::string out = "<h2 id=\"time\">Time per phase</h2>";
  if (t.x.empty() || t.categories.empty()) return out + note("No phase timings in the PPO lines.");
  PlotOptions o;
  o.title = "Seconds per step by phase";
  out += "<div class=\"plots\">" + stacked_bars_svg(t, o) + "</div>";
  out += "<table class=\"time\"><tr><th class=\"l\">phase</th><th>total s</th><th>share of phases</th><th>mean s/step</th></tr>" +
         time_rows(t, true) + time_rows(rest, false) + "</table>";
  if (!rest.categories.empty())
    out += "<p class=\"sub\">Rows without a share are the whole step or parts of a phase; phases that overlap "
           "(judging beside sampling) make the phases' sum exceed the step.</p>";
  return out;
}

std::string sft_section(const RunData& run) {
  if (run.sft_train.empty() && run.sft_eval.empty()) return "";
  std::vector<Series> loss;
  if (Series s = series_of(run.sft_train, key::kLoss, "train loss"); has_points(s)) loss.push_back(s);
  if (Series s = series_of(run.sft_eval, key::kValidLoss, "validation loss"); has_points(s)) loss.push_back(s);
  PlotOptions o;
  o.title = "SFT loss";
  std::string out = "<h2 id=\"sft\">Supervised fine-tuning</h2><div class=\"plots\">" + line_plot_svg(loss, o);
  if (Series s = series_of(run.sft_eval, key::kValidPass1, "validation pass@1"); has_points(s)) {
    PlotOptions p;
    p.title = "SFT validation pass@1", p.percent = true;
    out += line_plot_svg({s}, p);
  }
  return out + "</div>";
}

std::string gallery_section(const RunData& run) {
  std::string out = "<h2 id=\"samples\">Sampled programs</h2>";
  if (run.gallery.empty()) return out + note("No episodes to show.");
  return out + gallery_html(run.gallery);
}

std::string config_section(const RunData& run) {
  std::string out = "<h2 id=\"config\">Resolved configuration</h2>";
  if (run.config_yaml.empty()) return out + note("No config.yaml.");
  return out + "<pre class=\"config\">" + html_escape(run.config_yaml) + "</pre>";
}

}  // namespace

std::string render_report(const RunData& run) {
  std::string title = "stepcoder report: " + run.dir;
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
         "</title><style>" + kCss + "</style></head><body><h1>" + html_escape(title) + "</h1>" +
         "<p class=\"sub\">training curves, held-out evaluation, curriculum, time per phase, sampled programs, config</p>" +
         summary_html(run) + ppo_section(run) + eval_section(run) + curriculum_section(run) + time_section(run) +
         sft_section(run) + gallery_section(run) + config_section(run) + "</body></html>\n";
}

Expected<std::string> write_report(const std::string& run_dir, const std::string& out, const GalleryOptions& gallery) {
  auto run = load_run(run_dir, gallery);
  if (!run) return Error(run.error());
  const std::string path = out.empty() ? run::RunLayout(run_dir).report() : out;
  if (Status st = write_file_atomic(path, render_report(*run)); !st) return Error(st.error());
  return path;
}

}  // namespace stepcoder::report
