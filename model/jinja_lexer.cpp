// Jinja lexer: splits a template into text and the tokens of `{{ }}` and `{% %}` tags, applying
// the whitespace rules of transformers's environment: `-` strips all whitespace on its side,
// trim_blocks drops the newline after `%}` and `#}`, lstrip_blocks drops the indentation
// before `{%` and `{#`, `+` disables either, and one trailing newline of the template goes.
//
//   std::vector<Token> t = lex("{% if x %}\n  {{- y }}{% endif %}");
#include <cctype>
#include <cstdint>

#include "model/jinja_internal.h"

namespace stepcoder::model::jinja {

namespace {

// ASCII whitespace: what `-` strips. Python's str.rstrip() also strips Unicode spaces; no chat
// template puts those next to a tag.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Jinja joins the source's lines with "\n" and drops a final empty line
// (keep_trailing_newline=False). @huggingface/jinja keeps "\r\n", so its trim_blocks leaves a
// "\r" behind; it also lacks `{%+`, `+%}`, `{% raw %}`, 1_000 and 1e-5 literals.
std::string normalize(std::string_view src) {
  std::string out;
  out.reserve(src.size());
  for (size_t i = 0; i < src.size(); ++i) {
    if (src[i] == '\r') {
      out += '\n';
      if (i + 1 < src.size() && src[i + 1] == '\n') ++i;
    } else {
      out += src[i];
    }
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

void append_utf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(normalize(source)) {}

  std::vector<Token> run() {
    while (pos_ < src_.size()) {
      if (!lex_text()) break;
    }
    tokens_.push_back({Tok::End, "", line_});
    return std::move(tokens_);
  }

 private:
  [[noreturn]] void error(const std::string& msg) { throw JinjaError{msg, line_}; }

  void advance_to(size_t p) {
    for (; pos_ < p; ++pos_) line_ += src_[pos_] == '\n';
  }

  void emit_text(std::string text, size_t start) {
    int line = line_;
    for (size_t i = start; i < pos_; ++i) line -= src_[i] == '\n';
    if (!text.empty()) tokens_.push_back({Tok::Text, std::move(text), line});
  }

  // Text up to the next tag, with the tag's left whitespace rule applied; then the tag.
  bool lex_text() {
    size_t start = pos_;
    size_t tag = src_.find('{', pos_);
    while (tag != std::string::npos && tag + 1 < src_.size() && src_[tag + 1] != '{' &&
           src_[tag + 1] != '%' && src_[tag + 1] != '#') {
      tag = src_.find('{', tag + 1);
    }
    if (tag == std::string::npos || tag + 1 >= src_.size()) {
      advance_to(src_.size());
      emit_text(src_.substr(start), start);
      return false;
    }
    char kind = src_[tag + 1];
    char sign = tag + 2 < src_.size() ? src_[tag + 2] : 0;
    std::string text = src_.substr(start, tag - start);
    if (sign == '-') {
      while (!text.empty() && is_space(text.back())) text.pop_back();
    } else if (sign != '+' && kind != '{') {
      lstrip(&text, start);
    }
    advance_to(tag);
    emit_text(std::move(text), start);
    pos_ = tag + 2 + (sign == '-' || sign == '+');
    if (kind == '#') return lex_comment(), true;
    if (kind == '%' && lex_raw(tag)) return true;
    lex_tag(kind == '{');
    return true;
  }

  // lstrip_blocks: indentation between the line start and a block or comment tag goes.
  void lstrip(std::string* text, size_t start) {
    size_t nl = text->rfind('\n');
    size_t l_pos = nl == std::string::npos ? 0 : nl + 1;
    bool line_starting = start == 0 || src_[start - 1] == '\n';
    if (l_pos == 0 && !line_starting) return;
    if (l_pos == text->size()) return;
    for (size_t i = l_pos; i < text->size(); ++i) {
      if (!is_space((*text)[i])) return;
    }
    text->resize(l_pos);
  }

  // After `%}` or `#}`: `-` eats all whitespace, `+` nothing, otherwise one newline.
  void right_strip(char sign) {
    if (sign == '-') {
      size_t p = pos_;
      while (p < src_.size() && is_space(src_[p])) ++p;
      advance_to(p);
    } else if (sign != '+' && pos_ < src_.size() && src_[pos_] == '\n') {
      advance_to(pos_ + 1);
    }
  }

  void lex_comment() {
    size_t end = src_.find("#}", pos_);
    if (end == std::string::npos) error("missing end of comment tag");
    char sign = end > pos_ && (src_[end - 1] == '-' || src_[end - 1] == '+') ? src_[end - 1] : 0;
    advance_to(end + 2);
    right_strip(sign);
  }

  // Matches `\s*name\s*` then an optional sign and `%}` at p; returns the position after it.
  size_t match_word_tag(size_t p, const char* name, char* sign) const {
    while (p < src_.size() && is_space(src_[p])) ++p;
    std::string_view word(name);
    if (src_.compare(p, word.size(), word) != 0) return std::string::npos;
    p += word.size();
    if (p < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[p])) || src_[p] == '_')) {
      return std::string::npos;
    }
    while (p < src_.size() && is_space(src_[p])) ++p;
    *sign = 0;
    if (p < src_.size() && (src_[p] == '-' || src_[p] == '+')) *sign = src_[p++];
    if (src_.compare(p, 2, "%}") != 0) return std::string::npos;
    return p + 2;
  }

  // `{% raw %}...{% endraw %}`: the body is text. Jinja applies no trim_blocks after `raw %}`.
  bool lex_raw(size_t tag) {
    char sign = 0;
    size_t after = match_word_tag(pos_, "raw", &sign);
    if (after == std::string::npos) return false;
    advance_to(after);
    if (sign == '-') right_strip('-');
    size_t start = pos_;
    for (size_t p = src_.find("{%", pos_); p != std::string::npos; p = src_.find("{%", p + 2)) {
      char open = p + 2 < src_.size() ? src_[p + 2] : 0;
      size_t q = p + 2 + (open == '-' || open == '+');
      char end_sign = 0;
      size_t end = match_word_tag(q, "endraw", &end_sign);
      if (end == std::string::npos) continue;
      std::string text = src_.substr(start, p - start);
      if (open == '-') {
        while (!text.empty() && is_space(text.back())) text.pop_back();
      } else if (open != '+') {
        lstrip(&text, start);
      }
      advance_to(p);
      emit_text(std::move(text), start);
      advance_to(end);
      right_strip(end_sign);
      return true;
    }
    pos_ = tag;
    error("missing end of raw directive");
  }

  void lex_tag(bool variable) {
    tokens_.push_back({variable ? Tok::VarBegin : Tok::BlockBegin, "", line_});
    std::string brackets;
    const char close = variable ? '}' : '%';
    while (true) {
      while (pos_ < src_.size() && is_space(src_[pos_])) advance_to(pos_ + 1);
      if (pos_ >= src_.size()) {
        error(std::string("unexpected end of template, expected '") + (variable ? "}}" : "%}") + "'");
      }
      if (brackets.empty() && end_of_tag(close, variable)) return;
      lex_token(&brackets);
    }
  }

  bool end_of_tag(char close, bool variable) {
    char c = src_[pos_];
    char sign = 0;
    size_t p = pos_;
    if (c == '-' || (c == '+' && !variable)) sign = c, ++p;
    if (p + 1 >= src_.size() || src_[p] != close || src_[p + 1] != '}') return false;
    tokens_.push_back({variable ? Tok::VarEnd : Tok::BlockEnd, "", line_});
    advance_to(p + 2);
    if (variable) {
      if (sign == '-') right_strip('-');
    } else {
      right_strip(sign);
    }
    return true;
  }

  void lex_token(std::string* brackets) {
    char c = src_[pos_];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') return lex_name();
    if (std::isdigit(static_cast<unsigned char>(c))) return lex_number();
    if (c == '\'' || c == '"') return lex_string();
    lex_operator(brackets);
  }

  void lex_name() {
    size_t p = pos_;
    while (p < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[p])) || src_[p] == '_')) ++p;
    tokens_.push_back({Tok::Name, src_.substr(pos_, p - pos_), line_});
    pos_ = p;
  }

  size_t digits(size_t p) const {
    while (p < src_.size() && (std::isdigit(static_cast<unsigned char>(src_[p])) ||
                               (src_[p] == '_' && p + 1 < src_.size() &&
                                std::isdigit(static_cast<unsigned char>(src_[p + 1]))))) {
      ++p;
    }
    return p;
  }

  // Integers and floats; after a '.' only an integer (`a.0.1` is two item lookups).
  void lex_number() {
    size_t p = digits(pos_);
    bool is_float = false;
    bool after_dot = pos_ > 0 && src_[pos_ - 1] == '.';
    if (!after_dot && p + 1 < src_.size() && src_[p] == '.' &&
        std::isdigit(static_cast<unsigned char>(src_[p + 1]))) {
      p = digits(p + 1), is_float = true;
    }
    if (!after_dot && p < src_.size() && (src_[p] == 'e' || src_[p] == 'E')) {
      size_t q = p + 1;
      if (q < src_.size() && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < src_.size() && std::isdigit(static_cast<unsigned char>(src_[q]))) {
        p = digits(q), is_float = true;
      }
    }
    std::string text;
    for (size_t i = pos_; i < p; ++i) {
      if (src_[i] != '_') text += src_[i];
    }
    tokens_.push_back({is_float ? Tok::Float : Tok::Int, text, line_});
    pos_ = p;
  }

  uint32_t hex_escape(size_t p, int n) {
    if (p + n > src_.size()) error("truncated \\x, \\u or \\U escape in a string");
    uint32_t cp = 0;
    for (int k = 0; k < n; ++k) {
      char h = src_[p + k];
      if (!std::isxdigit(static_cast<unsigned char>(h))) error("truncated \\x, \\u or \\U escape in a string");
      cp = cp * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
    }
    return cp;
  }

  // Python's unicode-escape decoding of the literal; unknown escapes keep their backslash.
  size_t escape(size_t p, std::string* out) {
    char e = src_[p];
    switch (e) {
      case 'n': *out += '\n'; return p + 1;
      case 't': *out += '\t'; return p + 1;
      case 'r': *out += '\r'; return p + 1;
      case 'a': *out += '\a'; return p + 1;
      case 'b': *out += '\b'; return p + 1;
      case 'f': *out += '\f'; return p + 1;
      case 'v': *out += '\v'; return p + 1;
      case '\\': case '\'': case '"': *out += e; return p + 1;
      case '\n': return p + 1;
      case 'x': append_utf8(out, hex_escape(p + 1, 2)); return p + 3;
      case 'u': append_utf8(out, hex_escape(p + 1, 4)); return p + 5;
      case 'U': {
        uint32_t cp = hex_escape(p + 1, 8);
        if (cp > 0x10FFFF) error("illegal Unicode character in a string");
        append_utf8(out, cp);
        return p + 9;
      }
      default: break;
    }
    if (e >= '0' && e <= '7') {
      uint32_t cp = 0;
      size_t q = p;
      for (; q < p + 3 && q < src_.size() && src_[q] >= '0' && src_[q] <= '7'; ++q) cp = cp * 8 + (src_[q] - '0');
      append_utf8(out, cp);
      return q;
    }
    *out += '\\';
    return p;
  }

  void lex_string() {
    char quote = src_[pos_];
    int line = line_;
    std::string value;
    size_t p = pos_ + 1;
    while (true) {
      if (p >= src_.size()) error("unterminated string");
      char c = src_[p];
      if (c == quote) break;
      if (c == '\\' && p + 1 < src_.size()) {
        p = escape(p + 1, &value);
      } else {
        value += c, ++p;
      }
    }
    tokens_.push_back({Tok::String, std::move(value), line});
    advance_to(p + 1);
  }

  void lex_operator(std::string* brackets) {
    static const char* const kTwo[] = {"//", "**", "==", "!=", "<=", ">="};
    for (const char* op : kTwo) {
      if (src_.compare(pos_, 2, op) == 0) {
        tokens_.push_back({Tok::Op, op, line_});
        pos_ += 2;
        return;
      }
    }
    char c = src_[pos_];
    if (std::string_view("+-/*%~[](){}<>=.:|,").find(c) == std::string_view::npos) {
      error(std::string("unexpected char '") + c + "'");
    }
    if (c == '(' || c == '[' || c == '{') brackets->push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
    if (c == ')' || c == ']' || c == '}') {
      if (brackets->empty()) error(std::string("unexpected '") + c + "'");
      if (brackets->back() != c) {
        error(std::string("unexpected '") + c + "', expected '" + brackets->back() + "'");
      }
      brackets->pop_back();
    }
    tokens_.push_back({Tok::Op, std::string(1, c), line_});
    ++pos_;
  }

  std::string src_;
  size_t pos_ = 0;
  int line_ = 1;
  std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> lex(std::string_view source) { return Lexer(source).run(); }

}  // namespace stepcoder::model::jinja
