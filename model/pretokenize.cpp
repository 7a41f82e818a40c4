// Code-aware pre-tokenization (see pretokenize.h). The operator table lists C++'s multi-char
// operators; everything else printable and non-alphanumeric is a one-character operator.
#include "model/pretokenize.h"

#include <algorithm>
#include <cctype>

namespace stepcoder::model {

namespace {

const char* const kMultiOps[] = {"<<=", ">>=", "...", "//", "::", "->", "++", "--", "<<", ">>",
                                 "<=",  ">=",  "==",  "!=", "&&", "||", "+=", "-=", "*=",
                                 "/=",  "%=",  "&=",  "|=", "^="};

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_punct(char c) { return c > 32 && c < 127 && !is_letter(c) && !is_digit(c) && c != '_'; }
bool is_word_char(char c, const PretokOptions& o) {
  return is_letter(c) || (!o.split_underscore && c == '_');
}

std::string spaces_name(int n) { return "<sp:" + std::to_string(n) + ">"; }
std::string op_name(std::string_view op, bool space) {
  // A comma would split SentencePiece's comma-separated symbol list.
  std::string text = op == "," ? std::string("comma") : std::string(op);
  return std::string("<op:") + (space ? "\xE2\x96\x81" : "") + text + ">";
}
std::string digit_name(char d, bool space) {
  return std::string("<d:") + (space ? "\xE2\x96\x81" : "") + d + ">";
}

// Length of the operator starting at text[i] (longest match; at least 1).
size_t op_length(std::string_view text, size_t i) {
  for (const char* op : kMultiOps) {
    std::string_view o(op);
    if (text.substr(i, o.size()) == o) return o.size();
  }
  return 1;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> fixed_symbols(const PretokOptions& o) {
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back(kPretokMarker, "");
  if (o.split_underscore) out.emplace_back(kUnderscoreSymbol, "_");
  for (int k = 0; k <= o.max_indent; ++k)
    out.emplace_back("<nl:" + std::to_string(k) + ">", "\n" + std::string(k, ' '));
  for (int k = 1; k <= o.max_indent; ++k) out.emplace_back(spaces_name(k), std::string(k, ' '));
  for (char d = '0'; d <= '9'; ++d) {
    out.emplace_back(digit_name(d, false), std::string(1, d));
    out.emplace_back(digit_name(d, true), std::string(" ") + d);
  }
  std::vector<std::string> ops(std::begin(kMultiOps), std::end(kMultiOps));
  for (char c = 33; c < 127; ++c)
    if (is_punct(c)) ops.emplace_back(1, c);
  for (const std::string& op : ops) {
    out.emplace_back(op_name(op, false), op);
    out.emplace_back(op_name(op, true), " " + op);
  }
  return out;
}

std::vector<Segment> pretokenize(std::string_view s, const PretokOptions& o) {
  std::vector<Segment> out;
  auto fixed = [&](size_t b, size_t e, std::string name) {
    out.push_back({Segment::Kind::Fixed, b, e, std::move(name)});
  };
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    char c = s[i];
    if (c == '\n') {
      size_t k = 0;
      while (i + 1 + k < n && s[i + 1 + k] == ' ' && static_cast<int>(k) < o.max_indent) ++k;
      fixed(i, i + 1 + k, "<nl:" + std::to_string(k) + ">");
      i += 1 + k;
    } else if (c == ' ') {
      size_t r = 0;
      while (i + r < n && s[i + r] == ' ') ++r;
      char next = i + r < n ? s[i + r] : '\0';
      if (r == 1 && is_word_char(next, o)) {
        size_t e = i + 1;
        while (e < n && is_word_char(s[e], o)) ++e;
        out.push_back({Segment::Kind::Word, i, e, ""});
        i = e;
      } else if (r == 1 && is_digit(next)) {
        fixed(i, i + 2, digit_name(next, true));
        i += 2;
      } else if (r == 1 && is_punct(next)) {
        size_t len = op_length(s, i + 1);
        fixed(i, i + 1 + len, op_name(s.substr(i + 1, len), true));
        i += 1 + len;
      } else {
        size_t k = std::min<size_t>(r, static_cast<size_t>(std::max(1, o.max_indent)));
        fixed(i, i + k, spaces_name(static_cast<int>(k)));
        i += k;
      }
    } else if (is_word_char(c, o)) {
      size_t e = i;
      while (e < n && is_word_char(s[e], o)) ++e;
      out.push_back({Segment::Kind::Word, i, e, ""});
      i = e;
    } else if (c == '_') {
      fixed(i, i + 1, kUnderscoreSymbol);
      ++i;
    } else if (is_digit(c)) {
      fixed(i, i + 1, digit_name(c, false));
      ++i;
    } else if (is_punct(c)) {
      size_t len = op_length(s, i);
      fixed(i, i + len, op_name(s.substr(i, len), false));
      i += len;
    } else {
      out.push_back({Segment::Kind::Byte, i, i + 1, ""});
      ++i;
    }
  }
  return out;
}

}  // namespace stepcoder::model
