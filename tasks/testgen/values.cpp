// Input values, C++ literals and printers for unit-test generation: see testgen_values.h.
// Ranges stay small (integers mostly in [-10, 100], vectors of at most 8 elements): reference
// solutions of benchmarks are often exponential or overflow on large inputs, and a test that
// expects an overflowed value teaches nothing.
#include "tasks/testgen/values.h"

#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace stepcoder::tasks {

using Kind = TypeSpec::Kind;

bool Value::operator==(const Value& o) const {
  return kind == o.kind && i == o.i && u == o.u && s == o.s && items == o.items &&
         (f == o.f || (std::isnan(f) && std::isnan(o.f)));
}

namespace {

char random_char(Rng& rng) {
  int r = static_cast<int>(rng.uniform(0, 99));
  if (r < 60) return static_cast<char>('a' + rng.uniform(0, 25));
  if (r < 75) return static_cast<char>('A' + rng.uniform(0, 25));
  if (r < 90) return static_cast<char>('0' + rng.uniform(0, 9));
  return ' ';
}

int64_t random_int(Rng& rng, bool is_unsigned) {
  int r = static_cast<int>(rng.uniform(0, 99));
  int64_t v = r < 45 ? rng.uniform(0, 10) : r < 70 ? rng.uniform(-10, 10)
            : r < 90 ? rng.uniform(0, 100) : rng.uniform(-1000, 1000);
  return is_unsigned && v < 0 ? -v : v;
}

Value scalar(Kind kind) {
  Value v;
  v.kind = kind;
  return v;
}

Value make_int(const TypeSpec& type, Rng& rng, int edge) {
  static const int64_t kSigned[] = {0, 1, -1, 2, 10, -7, 100, 1000};
  static const int64_t kUnsigned[] = {0, 1, 2, 10, 100, 1000};
  int64_t x;
  if (edge < 0) {
    x = random_int(rng, type.is_unsigned);
  } else if (type.is_unsigned) {
    x = kUnsigned[edge % 6];
  } else {
    x = kSigned[edge % 8];
  }
  Value v = scalar(Kind::Int);
  if (type.is_unsigned) v.u = static_cast<uint64_t>(x);
  else v.i = x;
  return v;
}

Value make_string(Rng& rng, int edge) {
  static const char* kEdges[] = {"", "a", "Hello World", "abc", "  ", "AbC dEf", "a1b2", "zzz"};
  Value v = scalar(Kind::String);
  if (edge >= 0) {
    v.s = kEdges[edge % 8];
    return v;
  }
  int64_t n = rng.uniform(0, 12);
  for (int64_t k = 0; k < n; ++k) v.s += random_char(rng);
  return v;
}

Value make_vector(const TypeSpec& type, Rng& rng, int edge) {
  Value v = scalar(Kind::Vector);
  const TypeSpec& elem = type.elem[0];
  if (edge == 0) return v;
  if (edge == 1) {
    v.items.push_back(make_value(elem, rng, -1));
    return v;
  }
  if (elem.kind == Kind::Vector && rng.chance(70)) {  // a rectangular matrix
    int64_t rows = rng.uniform(1, 4), cols = rng.uniform(1, 4);
    for (int64_t r = 0; r < rows; ++r) {
      Value row = scalar(Kind::Vector);
      for (int64_t c = 0; c < cols; ++c) row.items.push_back(make_value(elem.elem[0], rng, -1));
      v.items.push_back(std::move(row));
    }
    return v;
  }
  int64_t n = rng.uniform(2, elem.kind == Kind::Vector ? 4 : 8);
  for (int64_t k = 0; k < n; ++k) v.items.push_back(make_value(elem, rng, -1));
  return v;
}

}  // namespace

Value make_value(const TypeSpec& type, Rng& rng, int edge) {
  static const double kFloats[] = {0.0, 1.0, -1.0, 0.5, 2.5, -3.25, 100.0};
  static const char kChars[] = {'a', 'Z', '0', ' ', 'z', 'A', '9'};
  switch (type.kind) {
    case Kind::Int: return make_int(type, rng, edge);
    case Kind::Float: {
      Value v = scalar(Kind::Float);
      v.f = edge >= 0 ? kFloats[edge % 7] : static_cast<double>(rng.uniform(-400, 400)) / 4.0;
      return v;
    }
    case Kind::Bool: {
      Value v = scalar(Kind::Bool);
      v.i = edge >= 0 ? (edge + 1) % 2 : rng.chance(50);
      return v;
    }
    case Kind::Char: {
      Value v = scalar(Kind::Char);
      v.i = edge >= 0 ? kChars[edge % 7] : random_char(rng);
      return v;
    }
    case Kind::String: return make_string(rng, edge);
    case Kind::Vector: return make_vector(type, rng, edge);
    case Kind::Unsupported: break;
  }
  return scalar(Kind::Unsupported);
}

namespace {

std::string escape_bytes(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 32 || c >= 127) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);  // octal escapes stop after 3 digits
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string int_literal(const Value& v, const TypeSpec& type) {
  if (type.is_unsigned) {
    return std::to_string(v.u) + (v.u > static_cast<uint64_t>(INT_MAX) ? "ULL" : "");
  }
  if (v.i == INT64_MIN) return "(-9223372036854775807LL - 1)";
  return std::to_string(v.i) + (v.i > INT_MAX || v.i < INT_MIN ? "LL" : "");
}

std::string char_literal(int64_t c) {
  if (c == '\'') return "'\\''";
  if (c == '\\') return "'\\\\'";
  if (c >= 32 && c < 127) return std::string("'") + static_cast<char>(c) + "'";
  return "char(" + std::to_string(c) + ")";
}

std::string float_literal(double f) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", f);
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

}  // namespace

std::string cpp_literal(const Value& v, const TypeSpec& type, bool nested) {
  switch (type.kind) {
    case Kind::Int: return int_literal(v, type);
    case Kind::Float: return float_literal(v.f);
    case Kind::Bool: return v.i ? "true" : "false";
    case Kind::Char: return char_literal(v.i);
    case Kind::String: {
      std::string quoted = "\"" + escape_bytes(v.s) + "\"";
      if (v.s.find('\0') != std::string::npos) {
        return "string(" + quoted + ", " + std::to_string(v.s.size()) + ")";
      }
      return nested ? quoted : "string(" + quoted + ")";
    }
    case Kind::Vector: {
      std::string out = nested ? "{" : type.spelling + "{";
      for (size_t k = 0; k < v.items.size(); ++k) {
        if (k) out += ", ";
        out += cpp_literal(v.items[k], type.elem[0], /*nested=*/true);
      }
      return out + "}";
    }
    case Kind::Unsupported: break;
  }
  return "/* unsupported */";
}

std::string printer_functions(const TypeSpec& type) {
  // Deepest element type first, so each function is declared before its caller.
  std::vector<const TypeSpec*> levels{&type};
  while (levels.back()->kind == Kind::Vector) levels.push_back(&levels.back()->elem[0]);
  std::string src;
  for (size_t d = levels.size(); d-- > 0;) {
    std::string name = "stepcoder_print_" + std::to_string(d);
    src += "template <class T> void " + name + "(std::string& o, const T& v) {\n";
    switch (levels[d]->kind) {
      case Kind::Int:
        src += levels[d]->is_unsigned ? "  o += std::to_string((unsigned long long)v);\n"
                                      : "  o += std::to_string((long long)v);\n";
        break;
      case Kind::Float:
        src += "  char b[64];\n  std::snprintf(b, sizeof b, \"%.17g\", (double)v);\n  o += b;\n";
        break;
      case Kind::Bool: src += "  o += v ? '1' : '0';\n"; break;
      case Kind::Char: src += "  o += std::to_string((int)(signed char)v);\n"; break;
      case Kind::String: src += "  o += std::to_string(v.size());\n  o += ':';\n  o += v;\n"; break;
      case Kind::Vector:
        src += "  o += std::to_string(v.size());\n  o += ' ';\n"
               "  for (size_t i = 0; i < v.size(); ++i) stepcoder_print_" +
               std::to_string(d + 1) + "(o, v[i]);\n  return;\n";
        break;
      case Kind::Unsupported: break;
    }
    src += "  o += ' ';\n}\n";
  }
  return src;
}

namespace {

struct Reader {
  const std::string& text;
  size_t pos = 0;
  std::string token() {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    std::string t = text.substr(pos, end - pos);
    pos = end < text.size() ? end + 1 : end;
    return t;
  }
};

Status read_value(Reader& r, const TypeSpec& type, Value* v);

Status read_number(Reader& r, const TypeSpec& type, Value* v) {
  std::string t = r.token();
  if (t.empty()) return Error("expected a number at byte " + std::to_string(r.pos));
  char* end = nullptr;
  errno = 0;
  if (type.kind == Kind::Float) {
    v->f = std::strtod(t.c_str(), &end);
    if (*end || !std::isfinite(v->f)) return Error("not a finite number: '" + t + "'");
    return Status();
  }
  if (type.kind == Kind::Int && type.is_unsigned) {
    if (t[0] == '-') return Error("negative unsigned value: '" + t + "'");
    v->u = std::strtoull(t.c_str(), &end, 10);
  } else {
    v->i = std::strtoll(t.c_str(), &end, 10);
  }
  if (*end || errno) return Error("not an integer: '" + t + "'");
  if (type.kind == Kind::Bool && v->i != 0 && v->i != 1) return Error("not a bool: '" + t + "'");
  if (type.kind == Kind::Char && (v->i < -128 || v->i > 127)) return Error("not a char: '" + t + "'");
  return Status();
}

Status read_string(Reader& r, Value* v) {
  size_t colon = r.text.find(':', r.pos);
  if (colon == std::string::npos) return Error("expected LEN:bytes at byte " + std::to_string(r.pos));
  std::string len = r.text.substr(r.pos, colon - r.pos);
  char* end = nullptr;
  unsigned long long n = std::strtoull(len.c_str(), &end, 10);
  if (len.empty() || *end || colon + 1 + n + 1 > r.text.size() || r.text[colon + 1 + n] != ' ') {
    return Error("bad string length '" + len + "' at byte " + std::to_string(r.pos));
  }
  v->s = r.text.substr(colon + 1, n);
  r.pos = colon + 1 + n + 1;
  return Status();
}

Status read_value(Reader& r, const TypeSpec& type, Value* v) {
  v->kind = type.kind;
  switch (type.kind) {
    case Kind::String: return read_string(r, v);
    case Kind::Vector: {
      Value count;
      TypeSpec size_type;
      size_type.kind = Kind::Int;
      size_type.is_unsigned = true;
      if (Status st = read_number(r, size_type, &count); !st) return st;
      if (count.u > r.text.size()) return Error("vector length " + std::to_string(count.u) + " exceeds the output");
      v->items.resize(count.u);
      for (Value& item : v->items) {
        if (Status st = read_value(r, type.elem[0], &item); !st) return st;
      }
      return Status();
    }
    case Kind::Unsupported: return Error("unsupported type " + type.spelling);
    default: return read_number(r, type, v);
  }
}

}  // namespace

Expected<Value> parse_printed(const std::string& payload, const TypeSpec& type) {
  Reader r{payload};
  Value v;
  if (Status st = read_value(r, type, &v); !st) return Error(st.error());
  if (r.pos != payload.size()) return Error("trailing bytes after the value at byte " + std::to_string(r.pos));
  return v;
}

uint64_t stable_hash(const std::string& text, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace stepcoder::tasks
