// #line neutralisation: see line_directives.h. A small lexer of the translation phases that
// matter for finding directives: trigraphs (when the standard has them), line splices,
// comments, string, character and raw string literals, pp-numbers (digit separators are not
// character literals) and the start of each logical line.
#include "sandbox/line_directives.h"

#include <cctype>
#include <vector>

namespace stepcoder::sandbox {

namespace {

// The program after phases 1 and 2: each logical character with the physical offset it came
// from. Splices (backslash, optional blanks, newline) vanish; trigraphs become one character.
struct Logical {
  std::vector<char> c;
  std::vector<size_t> at;  // physical offset of c[i]'s first byte
};

Logical phases(const std::string& s, bool trigraphs) {
  Logical l;
  for (size_t i = 0; i < s.size();) {
    char ch = s[i];
    size_t len = 1;
    if (trigraphs && ch == '?' && i + 2 < s.size() && s[i + 1] == '?') {
      if (s[i + 2] == '=') ch = '#', len = 3;
      if (s[i + 2] == '/') ch = '\\', len = 3;
    }
    if (ch == '\\') {
      size_t j = i + len;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
      if (j < s.size() && s[j] == '\n') {  // a splice
        i = j + 1;
        continue;
      }
      if (j + 1 < s.size() && s[j] == '\r' && s[j + 1] == '\n') {
        i = j + 2;
        continue;
      }
    }
    l.c.push_back(ch);
    l.at.push_back(i);
    i += len;
  }
  l.at.push_back(s.size());
  return l;
}

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

class Scanner {
 public:
  Scanner(const std::string& program, bool trigraphs)
      : out_(program), l_(phases(program, trigraphs)), n_(l_.c.size()) {}
  std::string run();

 private:
  char at(size_t i) const { return i < n_ ? l_.c[i] : '\0'; }
  size_t skip_comment(size_t i) const;  // i at "/*" or "//": returns the index after it
  size_t skip_quoted(size_t i) const;   // i at the opening quote
  size_t skip_raw(size_t i) const;      // i at 'R' of R"delim( ... )delim"
  size_t skip_number(size_t i) const;
  size_t skip_blanks(size_t i) const;   // spaces, tabs and comments on the line
  bool line_directive(size_t i) const;  // i after '#': "line" or a digit follows
  size_t skip_token(size_t i) const;    // one token (or comment) that is not a newline
  size_t line_end(size_t i) const;      // the newline ending the logical line (or n_)
  void blank(size_t from, size_t to);   // physical bytes of [from, to), newlines kept

  std::string out_;
  Logical l_;
  size_t n_;
};

size_t Scanner::skip_comment(size_t i) const {
  if (at(i + 1) == '/') {
    while (i < n_ && at(i) != '\n') ++i;
    return i;
  }
  for (i += 2; i < n_; ++i)
    if (at(i) == '*' && at(i + 1) == '/') return i + 2;
  return n_;
}

size_t Scanner::skip_quoted(size_t i) const {
  char q = at(i);
  for (++i; i < n_ && at(i) != '\n'; ++i) {
    if (at(i) == '\\') ++i;
    else if (at(i) == q) return i + 1;
  }
  return i;  // unterminated: ends at the line's end
}

size_t Scanner::skip_raw(size_t i) const {
  size_t open = i + 2;  // after R"
  std::string delim;
  while (open < n_ && at(open) != '(' && delim.size() <= 16) delim += at(open++);
  if (at(open) != '(') return i + 1;
  std::string close = ")" + delim + "\"";
  for (size_t j = open + 1; j + close.size() <= n_; ++j) {
    bool match = true;
    for (size_t k = 0; k < close.size() && match; ++k) match = at(j + k) == close[k];
    if (match) return j + close.size();
  }
  return n_;
}

size_t Scanner::skip_number(size_t i) const {
  for (++i; i < n_; ++i) {
    char c = at(i);
    if ((c == '+' || c == '-') && std::string("eEpP").find(at(i - 1)) != std::string::npos) continue;
    if (c == '\'' && ident_char(at(i + 1))) continue;  // a digit separator
    if (!ident_char(c) && c != '.') break;
  }
  return i;
}

size_t Scanner::skip_blanks(size_t i) const {
  while (i < n_) {
    char c = at(i);
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r') ++i;
    else if (c == '/' && at(i + 1) == '*') i = skip_comment(i);
    else break;
  }
  return i;
}

bool Scanner::line_directive(size_t i) const {
  i = skip_blanks(i);
  if (std::isdigit(static_cast<unsigned char>(at(i)))) return true;  // GNU: # 33 "file"
  std::string word;
  while (ident_char(at(i))) word += at(i++);
  return word == "line";
}

size_t Scanner::skip_token(size_t i) const {
  char c = at(i);
  if (c == '/' && (at(i + 1) == '*' || at(i + 1) == '/')) return skip_comment(i);
  if (c == '"' || c == '\'') return skip_quoted(i);
  if (std::isdigit(static_cast<unsigned char>(c)) ||
      (c == '.' && std::isdigit(static_cast<unsigned char>(at(i + 1)))))
    return skip_number(i);
  if (!ident_start(c)) return i + 1;
  size_t b = i;
  while (ident_char(at(i))) ++i;
  std::string word(l_.c.begin() + static_cast<long>(b), l_.c.begin() + static_cast<long>(i));
  bool raw = word == "R" || word == "u8R" || word == "uR" || word == "UR" || word == "LR";
  bool prefix = word == "u8" || word == "u" || word == "U" || word == "L";
  if (raw && at(i) == '"') return skip_raw(i - 1);
  if (prefix && (at(i) == '"' || at(i) == '\'')) return skip_quoted(i);
  return i;
}

size_t Scanner::line_end(size_t i) const {
  while (i < n_ && at(i) != '\n') i = skip_token(i);
  return i;
}

void Scanner::blank(size_t from, size_t to) {
  for (size_t p = l_.at[from]; p < l_.at[to]; ++p)
    if (out_[p] != '\n' && out_[p] != '\r') out_[p] = ' ';
}

std::string Scanner::run() {
  bool line_start = true;
  for (size_t i = 0; i < n_;) {
    char c = at(i);
    if (c == '\n') {
      line_start = true;
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r') {
      ++i;
    } else if (c == '/' && (at(i + 1) == '*' || at(i + 1) == '/')) {
      i = skip_comment(i);
    } else if (line_start && (c == '#' || (c == '%' && at(i + 1) == ':'))) {
      size_t after = i + (c == '#' ? 1 : 2);
      size_t end = line_end(after);
      if (line_directive(after)) blank(i, end);
      i = end;
      line_start = false;
    } else {
      line_start = false;
      i = skip_token(i);
    }
  }
  return out_;
}

}  // namespace

std::string neutralize_line_directives(const std::string& program, bool trigraphs) {
  if (program.find('#') == std::string::npos && program.find("%:") == std::string::npos &&
      !(trigraphs && program.find("?\?=") != std::string::npos))
    return program;
  return Scanner(program, trigraphs).run();
}

bool standard_has_trigraphs(const std::string& std) {
  return std == "c++11" || std == "c++14" || std == "c++98" || std == "c++03";
}

}  // namespace stepcoder::sandbox
