// The ablation page (see ablation.h): each arm's mean greedy pass@1 and its difference to the
// baseline as dots with 95% interval bars on a shared axis (inline SVG), then the tables.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/ablation.h"
#include "report/html.h"

namespace stepcoder::report {
namespace {

constexpr int kLabelW = 170, kPlotW = 420, kRowH = 26, kPad = 28;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// One panel: a row per interval, x from lo to hi (percent), with a vertical rule at `rule`.
std::string forest(const std::vector<std::pair<std::string, const Interval*>>& rows, double lo, double hi,
                   double rule, const std::string& axis) {
  const int h = kPad * 2 + kRowH * static_cast<int>(rows.size());
  auto x = [&](double share) { return kLabelW + (100 * share - lo) / std::max(1e-9, hi - lo) * kPlotW; };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kLabelW + kPlotW + 20) +
                  "\" height=\"" + std::to_string(h) + "\" font-family=\"sans-serif\" font-size=\"12\">";
  for (int t = 0; t <= 4; ++t) {  // axis ticks
    const double v = lo + (hi - lo) * t / 4.0, px = kLabelW + kPlotW * t / 4.0;
    s += "<line x1=\"" + num(px) + "\" x2=\"" + num(px) + "\" y1=\"" + std::to_string(kPad - 6) + "\" y2=\"" +
         std::to_string(h - kPad) + "\" stroke=\"#eee\"/><text x=\"" + num(px) + "\" y=\"" +
         std::to_string(h - kPad + 16) + "\" text-anchor=\"middle\">" + num(v) + "</text>";
  }
  if (rule >= lo && rule <= hi)
    s += "<line x1=\"" + num(x(rule / 100)) + "\" x2=\"" + num(x(rule / 100)) + "\" y1=\"" + std::to_string(kPad - 6) +
         "\" y2=\"" + std::to_string(h - kPad) + "\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>";
  for (size_t i = 0; i < rows.size(); ++i) {
    const int y = kPad + kRowH * static_cast<int>(i) + kRowH / 2;
    const Interval& v = *rows[i].second;
    s += "<text x=\"" + std::to_string(kLabelW - 8) + "\" y=\"" + std::to_string(y + 4) + "\" text-anchor=\"end\">" +
         html_escape(rows[i].first) + "</text><line x1=\"" + num(x(v.low)) + "\" x2=\"" + num(x(v.high)) +
         "\" y1=\"" + std::to_string(y) + "\" y2=\"" + std::to_string(y) +
         "\" stroke=\"#3465a4\" stroke-width=\"3\"/><circle cx=\"" + num(x(v.mean)) + "\" cy=\"" + std::to_string(y) +
         "\" r=\"5\" fill=\"#204a87\"><title>" + html_escape(rows[i].first) + ": " + num(100 * v.mean) + " [" +
         num(100 * v.low) + ", " + num(100 * v.high) + "]</title></circle>";
  }
  s += "<text x=\"" + std::to_string(kLabelW + kPlotW / 2) + "\" y=\"" + std::to_string(h - 2) +
       "\" text-anchor=\"middle\">" + html_escape(axis) + "</text></svg>";
  return s;
}

// The axis range of a panel: the intervals' extent (and the rule), padded, in percent.
std::pair<double, double> extent(const std::vector<std::pair<std::string, const Interval*>>& rows, double rule) {
  double lo = rule, hi = rule;
  for (const auto& [name, v] : rows) lo = std::min(lo, 100 * v->low), hi = std::max(hi, 100 * v->high);
  const double pad = std::max(1.0, (hi - lo) * 0.08);
  return {std::floor(lo - pad), std::ceil(hi + pad)};
}

std::string markdown_table_html(const std::string& md) {
  return "<pre>" + html_escape(md) + "</pre>";
}

}  // namespace

std::string ablation_html(const std::vector<AblationRow>& rows, const std::vector<ArmSummary>& arms) {
  std::vector<std::pair<std::string, const Interval*>> means, diffs;
  std::string base;
  for (const ArmSummary& a : arms) {
    if (a.pass1.seeds > 0) means.emplace_back(a.name, &a.pass1);
    if (a.has_difference) diffs.emplace_back(a.name, &a.difference);
    if (a.baseline) base = a.name;
  }
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ablation</title><style>"
      "body{font-family:sans-serif;margin:2em;max-width:70em}pre{font-size:12px;overflow-x:auto}"
      "</style></head><body><h1>Ablation</h1><p>Greedy pass@1 on the test split: each dot is an arm's mean over "
      "its seeds and problems, each bar its 95% bootstrap interval (seeds and problems resampled). Differences "
      "pair seed i of an arm with seed i of the baseline <b>" + html_escape(base) + "</b>; an A/A arm shows the "
      "spread that seeds alone make.</p>";
  if (!means.empty()) {
    auto [lo, hi] = extent(means, 100 * means.front().second->mean);
    page += "<h2>pass@1</h2>" + forest(means, lo, hi, -1e9, "greedy pass@1, %");
  }
  if (!diffs.empty()) {
    auto [lo, hi] = extent(diffs, 0.0);
    page += "<h2>minus " + html_escape(base) + "</h2>" + forest(diffs, lo, hi, 0.0, "difference, percentage points");
  }
  page += "<h2>Tables</h2>" + markdown_table_html(ablation_markdown(rows, arms)) + "</body></html>\n";
  return page;
}

}  // namespace stepcoder::report
