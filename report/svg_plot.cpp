// SVG charts (see svg_plot.h). Coordinates are rounded to 0.1 px to keep the page small.
#include "report/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "report/html.h"

namespace stepcoder::report {

const char* series_color(size_t i) {
  static const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                   "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
  return kPalette[i % (sizeof kPalette / sizeof *kPalette)];
}

namespace {

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Data range and the pixel box it maps to.
struct Frame {
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  bool integer_x = false;  // x values are steps: no ticks between them
  double left = 58, right = 0, top = 34, bottom = 0;
  double sx(double x) const { return left + (x - x0) / (x1 - x0) * (right - left); }
  double sy(double y) const { return bottom - (y - y0) / (y1 - y0) * (bottom - top); }
};

Frame make_frame(const PlotOptions& o, double x0, double x1, double y0, double y1) {
  Frame f;
  f.right = o.width - 14, f.bottom = o.height - 34;
  if (x1 <= x0) x0 -= 0.5, x1 += 0.5;
  if (y1 <= y0) {
    double pad = std::max(std::abs(y0) * 0.1, 0.5);
    y0 -= pad, y1 += pad;
  }
  f.x0 = x0, f.x1 = x1, f.y0 = y0, f.y1 = y1;
  return f;
}

// Round steps (1, 2, 5 x 10^k) covering [lo, hi] with about `want` intervals.
std::vector<double> ticks(double lo, double hi, int want = 5, double min_step = 0) {
  double raw = std::max((hi - lo) / want, min_step);
  double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag * (raw / mag < 1.5 ? 1 : raw / mag < 3.5 ? 2 : raw / mag < 7.5 ? 5 : 10);
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

std::string x_tick_svg(const Frame& f, double x, const std::string& label) {
  return "<line x1=\"" + px(x) + "\" x2=\"" + px(x) + "\" y1=\"" + px(f.bottom) + "\" y2=\"" + px(f.bottom + 4) +
         "\" stroke=\"#999\"/><text class=\"tick\" x=\"" + px(x) + "\" y=\"" + px(f.bottom + 15) +
         "\" text-anchor=\"middle\">" + label + "</text>";
}

std::string tick_label(double v, bool percent) {
  return percent ? fmt_num(100 * v, 6) + "%" : fmt_num(v, 6);
}

// The title, the white plot area with grid lines, tick labels and the x-axis label; x ticks
// are left to the caller when !x_ticks.
std::string axes_svg(const Frame& f, const PlotOptions& o, bool x_ticks = true) {
  std::string s = "<text class=\"title\" x=\"" + px(f.left) + "\" y=\"16\">" + html_escape(o.title) + "</text>";
  s += "<rect class=\"plot-area\" x=\"" + px(f.left) + "\" y=\"" + px(f.top) + "\" width=\"" +
       px(f.right - f.left) + "\" height=\"" + px(f.bottom - f.top) + "\" fill=\"#fff\" stroke=\"#999\"/>";
  for (double t : ticks(f.y0, f.y1)) {
    std::string y = px(f.sy(t));
    s += "<line x1=\"" + px(f.left) + "\" x2=\"" + px(f.right) + "\" y1=\"" + y + "\" y2=\"" + y +
         "\" stroke=\"#e5e5e5\"/><text class=\"tick\" x=\"" + px(f.left - 4) + "\" y=\"" + y +
         "\" text-anchor=\"end\" dy=\"0.32em\">" + tick_label(t, o.percent) + "</text>";
  }
  if (x_ticks)
    for (double t : ticks(f.x0, f.x1, 6, f.integer_x ? 1 : 0)) s += x_tick_svg(f, f.sx(t), fmt_num(t, 6));
  s += "<text class=\"axis\" x=\"" + px((f.left + f.right) / 2) + "\" y=\"" + px(o.height - 4) +
       "\" text-anchor=\"middle\">" + html_escape(o.x_label) + "</text>";
  return s;
}

// Coloured keys in the top margin, right-aligned.
std::string legend_svg(const std::vector<std::string>& names, const Frame& f) {
  std::string s;
  double x = f.right;
  for (size_t i = names.size(); i-- > 0;) {
    double w = 14 + 6.2 * names[i].size();
    x -= w + 10;
    s += "<rect x=\"" + px(x) + "\" y=\"20\" width=\"10\" height=\"10\" fill=\"" + series_color(i) +
         "\"/><text class=\"legend\" x=\"" + px(x + 14) + "\" y=\"29\">" + html_escape(names[i]) + "</text>";
  }
  return s;
}

std::string svg_open(const PlotOptions& o) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"" + std::to_string(o.width) +
         "\" height=\"" + std::to_string(o.height) + "\" viewBox=\"0 0 " + std::to_string(o.width) + " " +
         std::to_string(o.height) + "\" role=\"img\" aria-label=\"" + html_escape(o.title) + "\">";
}

// The finite points of a series, thinned to at most max_points (the last one kept).
std::vector<std::pair<double, double>> points_of(const Series& s, int max_points) {
  std::vector<std::pair<double, double>> pts;
  for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
    if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) pts.emplace_back(s.x[i], s.y[i]);
  if (max_points > 1 && static_cast<int>(pts.size()) > max_points) {
    size_t stride = (pts.size() + max_points - 2) / (max_points - 1);
    std::vector<std::pair<double, double>> thin;
    for (size_t i = 0; i < pts.size(); i += stride) thin.push_back(pts[i]);
    if (thin.back() != pts.back()) thin.push_back(pts.back());
    pts = std::move(thin);
  }
  return pts;
}

}  // namespace

std::string line_plot_svg(const std::vector<Series>& series, const PlotOptions& o) {
  std::vector<std::vector<std::pair<double, double>>> pts;
  double x0 = INFINITY, x1 = -INFINITY, y0 = o.y_from_zero ? 0 : INFINITY, y1 = o.y_from_zero ? 0 : -INFINITY;
  for (const Series& s : series) {
    pts.push_back(points_of(s, o.max_points));
    for (auto [x, y] : pts.back()) x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
  }
  if (!std::isfinite(x0)) return "";
  if (o.percent) y0 = std::min(y0, 0.0), y1 = std::max(y1, std::min(1.0, y1 + 0.05));
  Frame f = make_frame(o, x0, x1, y0, y1);
  f.integer_x = std::all_of(pts.begin(), pts.end(), [](const auto& p) {
    return std::all_of(p.begin(), p.end(), [](const auto& xy) { return xy.first == std::floor(xy.first); });
  });
  std::string s = svg_open(o) + axes_svg(f, o);
  std::vector<std::string> names;
  for (size_t i = 0; i < series.size(); ++i) {
    names.push_back(series[i].name);
    if (pts[i].empty()) continue;
    std::string coords;
    for (auto [x, y] : pts[i]) coords += (coords.empty() ? "" : " ") + px(f.sx(x)) + "," + px(f.sy(y));
    s += "<polyline class=\"series\" data-series=\"" + html_escape(series[i].name) + "\" data-points=\"" +
         std::to_string(pts[i].size()) + "\" fill=\"none\" stroke=\"" + series_color(i) +
         "\" stroke-width=\"1.8\" points=\"" + coords + "\"/>";
    if (pts[i].size() <= 40)  // sparse series (evaluations) get markers: one point is no line
      for (auto [x, y] : pts[i])
        s += "<circle cx=\"" + px(f.sx(x)) + "\" cy=\"" + px(f.sy(y)) + "\" r=\"2.5\" fill=\"" + series_color(i) + "\"/>";
  }
  return s + legend_svg(names, f) + "</svg>";
}

std::string stacked_share_svg(const Stacked& st, const PlotOptions& o) {
  const size_t n = st.x.size();
  if (n == 0 || st.categories.empty()) return "";
  PlotOptions po = o;
  po.percent = true;
  Frame f = make_frame(po, st.x.front(), st.x.back(), 0, 1);
  f.integer_x = std::all_of(st.x.begin(), st.x.end(), [](double x) { return x == std::floor(x); });
  std::vector<double> total(n, 0), below(n, 0);
  for (const auto& v : st.values)
    for (size_t i = 0; i < n; ++i) total[i] += std::max(0.0, v[i]);
  std::string s = svg_open(po) + axes_svg(f, po);
  for (size_t c = 0; c < st.categories.size(); ++c) {
    std::string top, bottom;
    std::vector<double> above(n);
    for (size_t i = 0; i < n; ++i) {
      above[i] = below[i] + (total[i] > 0 ? std::max(0.0, st.values[c][i]) / total[i] : 0);
      top += px(f.sx(st.x[i])) + "," + px(f.sy(above[i])) + " ";
    }
    for (size_t i = n; i-- > 0;) bottom += px(f.sx(st.x[i])) + "," + px(f.sy(below[i])) + " ";
    if (n == 1)  // one x: a full-width band instead of a zero-width polygon
      top = px(f.left) + "," + px(f.sy(above[0])) + " " + px(f.right) + "," + px(f.sy(above[0])) + " ",
      bottom = px(f.right) + "," + px(f.sy(below[0])) + " " + px(f.left) + "," + px(f.sy(below[0]));
    s += "<polygon class=\"band\" data-category=\"" + html_escape(st.categories[c]) + "\" fill=\"" +
         series_color(c) + "\" fill-opacity=\"0.85\" points=\"" + top + bottom + "\"/>";
    below = above;
  }
  return s + legend_svg(st.categories, f) + "</svg>";
}

namespace {

// Merges consecutive x values into at most max_bars groups (mean of each category).
Stacked merge_bars(const Stacked& st, int max_bars) {
  const size_t n = st.x.size();
  if (max_bars <= 0 || n <= static_cast<size_t>(max_bars)) return st;
  const size_t group = (n + max_bars - 1) / max_bars;
  Stacked out;
  out.categories = st.categories;
  out.values.assign(st.categories.size(), {});
  for (size_t g = 0; g < n; g += group) {
    size_t end = std::min(n, g + group);
    out.x.push_back(st.x[end - 1]);
    for (size_t c = 0; c < st.categories.size(); ++c) {
      double sum = std::accumulate(st.values[c].begin() + g, st.values[c].begin() + end, 0.0);
      out.values[c].push_back(sum / (end - g));
    }
  }
  return out;
}

}  // namespace

std::string stacked_bars_svg(const Stacked& in, const PlotOptions& o) {
  if (in.x.empty() || in.categories.empty()) return "";
  Stacked st = merge_bars(in, o.max_bars);
  const size_t n = st.x.size();
  double top = 0;
  for (size_t i = 0; i < n; ++i) {
    double sum = 0;
    for (const auto& v : st.values) sum += std::max(0.0, v[i]);
    top = std::max(top, sum);
  }
  // Bars are placed by index, labelled with their x: steps need not be evenly spaced.
  Frame f = make_frame(o, 0, static_cast<double>(n), 0, top > 0 ? top * 1.05 : 1);
  std::string s = svg_open(o) + axes_svg(f, o, /*x_ticks=*/false);
  const double slot = (f.right - f.left) / n, w = std::max(1.0, slot * 0.8);
  const size_t label_every = (n + 7) / 8;
  for (size_t i = 0; i < n; ++i) {
    if (i % label_every == 0) s += x_tick_svg(f, f.left + slot * (i + 0.5), fmt_num(st.x[i], 6));
    double base = 0;
    for (size_t c = 0; c < st.categories.size(); ++c) {
      double v = std::max(0.0, st.values[c][i]);
      if (v <= 0) continue;
      double y_top = f.sy(base + v), y_bottom = f.sy(base);
      s += "<rect class=\"bar\" data-category=\"" + html_escape(st.categories[c]) + "\" x=\"" +
           px(f.left + slot * i + (slot - w) / 2) + "\" y=\"" + px(y_top) + "\" width=\"" + px(w) +
           "\" height=\"" + px(std::max(0.5, y_bottom - y_top)) + "\" fill=\"" + series_color(c) + "\"/>";
      base += v;
    }
  }
  return s + legend_svg(st.categories, f) + "</svg>";
}

}  // namespace stepcoder::report
