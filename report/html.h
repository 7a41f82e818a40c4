// Small HTML helpers of the run report: escaping text from the run (programs, messages,
// config values) and short number formatting for axes and tables.
//
//   out += "<td>" + html_escape(row.message) + "</td><td>" + fmt_num(0.41666) + "</td>";  // 0.417
#pragma once

#include <string>

namespace stepcoder::report {

// &, <, >, " and ' as entities; bytes that are not valid UTF-8 become U+FFFD, so a binary
// completion cannot break the page's encoding.
std::string html_escape(const std::string& text);

// At most `digits` significant digits, no exponent for ordinary magnitudes: 0.417, 1250, 3e-05.
std::string fmt_num(double v, int digits = 3);

// "41.7%" from 0.41666.
std::string fmt_pct(double share, int decimals = 1);

}  // namespace stepcoder::report
