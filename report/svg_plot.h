// Inline SVG charts of the run report, drawn in C++ so the page needs no scripts and tests can
// count what was drawn: line plots (one <polyline class="series"> per series, its
// data-points attribute = points drawn), stacked shares (one <polygon class="band"> per
// category) and stacked bars (one <rect class="bar"> per drawn segment).
//
//   Series r{"reward", {1, 2, 3}, {-0.8, -0.2, 0.4}};
//   std::string svg = line_plot_svg({r}, {"Reward", "step"});
#pragma once

#include <string>
#include <vector>

namespace stepcoder::report {

struct Series {
  std::string name;
  std::vector<double> x, y;  // same length; non-finite y values are left out
};

struct PlotOptions {
  std::string title;
  std::string x_label = "step";
  int width = 560, height = 250;
  bool y_from_zero = false;  // include 0 in the y range
  bool percent = false;      // y values are shares in [0, 1]: axis labels in %
  int max_points = 2000;     // longer series are thinned (every k-th point, the last kept)
  int max_bars = 60;         // stacked bars: more x values are merged (mean) into this many
};

// Values of several categories at each x (values[c][i] = category c at x[i]).
struct Stacked {
  std::vector<double> x;
  std::vector<std::string> categories;
  std::vector<std::vector<double>> values;
};

// "" when no series has a finite point.
std::string line_plot_svg(const std::vector<Series>& series, const PlotOptions& o);
// Each x's values as shares of their sum, stacked from the first category up. "" when empty.
std::string stacked_share_svg(const Stacked& s, const PlotOptions& o);
// Absolute values stacked per x. "" when empty.
std::string stacked_bars_svg(const Stacked& s, const PlotOptions& o);

// The colour of the i-th series or category (a fixed palette, repeated).
const char* series_color(size_t i);

}  // namespace stepcoder::report
