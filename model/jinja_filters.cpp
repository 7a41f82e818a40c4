// Jinja's filters (`x | name(args)`) with Jinja 3.1's semantics, `tojson` being transformers's
// own: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False) with
// HTML characters left alone. An unknown filter is a parse error (find_filter returns null).
//
//   FilterFn f = find_filter("trim");
//   Value v = f(Value::str("  a "), args);   // 'a'
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "model/jinja_internal.h"

namespace stepcoder::model::jinja {

namespace {

Value call_str(const Value& v, const char* method, Args& a) {
  return call_method(Value::str(to_str(v)), method, a);
}

Value f_length(const Value& v, Args& a) {
  check_args(a, 0, {}, "length");
  return Value::integer(length(v));
}

Value f_string(const Value& v, Args& a) {
  check_args(a, 0, {}, "string");
  return v.is_str() ? v : Value::str(to_str(v));
}

Value f_safe(const Value& v, Args&) { return v; }

Value f_trim(const Value& v, Args& a) {
  check_args(a, 1, {"chars"}, "trim");
  Args m;
  if (const Value* c = arg(a, 0, "chars")) m.pos.push_back(*c);
  return call_str(v, "strip", m);
}

Value f_upper(const Value& v, Args&) { return Value::str(case_map(to_str(v), 'u')); }
Value f_lower(const Value& v, Args&) { return Value::str(case_map(to_str(v), 'l')); }
Value f_capitalize(const Value& v, Args& a) { return call_str(v, "capitalize", a); }

// Jinja's title(): a word starts after whitespace or one of -({[<, unlike str.title(); the
// rest of a word is lowered (@huggingface/jinja leaves it: "hello wORLD" gives "Hello WORLD").
Value f_title(const Value& v, Args&) {
  std::string out;
  bool word_start = true;
  for (const std::string& c : code_points(to_str(v))) {
    bool sep = c.size() == 1 && (std::string_view(" \t\n\r\f\v-({[<").find(c[0]) != std::string_view::npos);
    if (sep) {
      out += c;
      word_start = true;
    } else {
      out += case_map(c, word_start ? 'u' : 'l');
      word_start = false;
    }
  }
  return Value::str(std::move(out));
}

Value f_replace(const Value& v, Args& a) {
  check_args(a, 3, {"old", "new", "count"}, "replace");
  Args m;
  m.pos = {arg_or(a, 0, "old", Value::str("")), arg_or(a, 1, "new", Value::str(""))};
  Value count = arg_or(a, 2, "count", Value::none());
  if (count.kind != Kind::None) m.pos.push_back(count);
  for (Value& p : m.pos) if (!p.is_str() && p.kind != Kind::Int) p = Value::str(to_str(p));
  return call_str(v, "replace", m);
}

Value f_escape(const Value& v, Args&) {
  std::string out;
  for (char c : to_str(v)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  check_size(out.size());
  return Value::str(std::move(out));
}

Value f_tojson(const Value& v, Args& a) {
  check_args(a, 4, {"ensure_ascii", "indent", "separators", "sort_keys"}, "tojson");
  JsonOptions opt;
  opt.ensure_ascii = truthy(arg_or(a, 0, "ensure_ascii", Value::boolean(false)));
  Value indent = arg_or(a, 1, "indent", Value::none());
  std::string unit;
  if (indent.is_integer()) {
    unit.assign(static_cast<size_t>(std::clamp<int64_t>(indent.i, 0, 64)), ' ');
  } else if (indent.is_str()) {
    unit = indent.s;
  } else if (indent.kind != Kind::None) {
    fail("tojson: indent must be an integer or a string");
  }
  if (indent.kind != Kind::None) opt.indent = &unit, opt.item_sep = ",";
  Value seps = arg_or(a, 2, "separators", Value::none());
  if (seps.kind == Kind::List && seps.as_list().items.size() == 2 && seps.as_list().items[0].is_str() &&
      seps.as_list().items[1].is_str()) {
    opt.item_sep = seps.as_list().items[0].s;
    opt.key_sep = seps.as_list().items[1].s;
  } else if (seps.kind != Kind::None) {
    fail("tojson: separators must be a pair of strings");
  }
  opt.sort_keys = truthy(arg_or(a, 3, "sort_keys", Value::boolean(false)));
  return Value::str(to_json(v, opt));
}

Value f_default(const Value& v, Args& a) {
  check_args(a, 2, {"default_value", "boolean"}, "default");
  bool boolean = truthy(arg_or(a, 1, "boolean", Value::boolean(false)));
  if (v.is_undefined() || (boolean && !truthy(v))) return arg_or(a, 0, "default_value", Value::str(""));
  return v;
}

Value f_first(const Value& v, Args&) {
  if (v.kind == Kind::List) {
    const auto& items = v.as_list().items;
    return items.empty() ? Value::undefined("No first item, sequence was empty.") : items.front();
  }
  std::vector<Value> items = iterate(v);
  return items.empty() ? Value::undefined("No first item, sequence was empty.") : items.front();
}

Value f_last(const Value& v, Args&) {
  if (v.is_undefined()) raise_undefined(v);
  std::vector<Value> items = iterate(v);
  return items.empty() ? Value::undefined("No last item, sequence was empty.") : items.back();
}

Value f_list(const Value& v, Args&) { return Value::list(iterate(v)); }

Value f_reverse(const Value& v, Args&) {
  if (v.is_str()) {
    std::vector<std::string> cps = code_points(v.s);
    std::string out;
    for (auto it = cps.rbegin(); it != cps.rend(); ++it) out += *it;
    return Value::str(std::move(out));
  }
  std::vector<Value> items = iterate(v);
  std::reverse(items.begin(), items.end());
  return Value::list(std::move(items));
}

Value f_join(const Value& v, Args& a) {
  check_args(a, 2, {"d", "attribute"}, "join");
  std::string sep = to_str(arg_or(a, 0, "d", Value::str("")));
  Value attribute = arg_or(a, 1, "attribute", Value::none());
  std::string out;
  std::vector<Value> items = iterate(v);
  for (size_t k = 0; k < items.size(); ++k) {
    if (k) out += sep;
    out += to_str(attribute.kind == Kind::None ? items[k] : attr_path(items[k], to_str(attribute)));
    check_size(out.size());
  }
  return Value::str(std::move(out));
}

Value f_int(const Value& v, Args& a) {
  check_args(a, 2, {"default", "base"}, "int");
  Value fallback = arg_or(a, 0, "default", Value::integer(0));
  int base = static_cast<int>(arg_or(a, 1, "base", Value::integer(10)).i);
  if (v.is_integer()) return Value::integer(v.i);
  if (v.kind == Kind::Float) {
    if (!std::isfinite(v.f) || std::fabs(v.f) > 9.2e18) return fallback;
    return Value::integer(static_cast<int64_t>(v.f));
  }
  if (!v.is_str()) return fallback;
  Args none;
  std::string s = call_method(v, "strip", none).s;
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  if (s.empty()) return fallback;
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(s.c_str(), &end, base);
  if (*end == '\0' && errno == 0) return Value::integer(n);
  double d = std::strtod(s.c_str(), &end);
  if (*end == '\0' && std::isfinite(d) && std::fabs(d) < 9.2e18) return Value::integer(static_cast<int64_t>(d));
  return fallback;
}

Value f_float(const Value& v, Args& a) {
  check_args(a, 1, {"default"}, "float");
  Value fallback = arg_or(a, 0, "default", Value::number(0.0));
  if (v.is_number()) return Value::number(v.as_double());
  if (!v.is_str()) return fallback;
  Args none;
  std::string s = call_method(v, "strip", none).s;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || s.find_first_of("xXpP") != std::string::npos) return fallback;
  return Value::number(d);
}

Value f_abs(const Value& v, Args&) {
  if (v.is_integer()) {
    if (v.i == INT64_MIN) fail("integer overflow (values are 64-bit)");
    return Value::integer(v.i < 0 ? -v.i : v.i);
  }
  if (v.kind == Kind::Float) return Value::number(std::fabs(v.f));
  fail("bad operand type for abs(): '" + type_name(v) + "'");
}

Value f_round(const Value& v, Args& a) {
  check_args(a, 2, {"precision", "method"}, "round");
  int64_t precision = arg_or(a, 0, "precision", Value::integer(0)).i;
  std::string method = to_str(arg_or(a, 1, "method", Value::str("common")));
  if (!v.is_number()) fail("type " + type_name(v) + " doesn't define __round__ method");
  if (method != "common" && method != "ceil" && method != "floor") {
    fail("method must be 'common', 'ceil' or 'floor'");
  }
  if (v.is_integer() && method == "common") return Value::integer(v.i);
  double d = v.as_double(), scale = std::pow(10.0, static_cast<double>(precision));
  if (method == "ceil") return Value::number(std::ceil(d * scale) / scale);
  if (method == "floor") return Value::number(std::floor(d * scale) / scale);
  if (precision < 0 || precision > 300) return Value::number(std::nearbyint(d * scale) / scale);
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(precision), d);  // round-half-even, as Python
  return Value::number(std::strtod(buf, nullptr));
}

Value f_indent(const Value& v, Args& a) {
  check_args(a, 3, {"width", "first", "blank"}, "indent");
  Value width = arg_or(a, 0, "width", Value::integer(4));
  std::string ind = width.is_str() ? width.s : std::string(static_cast<size_t>(std::clamp<int64_t>(width.i, 0, 1024)), ' ');
  bool first = truthy(arg_or(a, 1, "first", Value::boolean(false)));
  bool blank = truthy(arg_or(a, 2, "blank", Value::boolean(false)));
  Args none;
  Value lines = call_method(Value::str(to_str(v) + "\n"), "splitlines", none);
  const auto& ls = lines.as_list().items;
  std::string out;
  for (size_t k = 0; k < ls.size(); ++k) {
    if (k) out += "\n";
    if (k == 0 ? first : blank || !ls[k].s.empty()) out += ind;
    out += ls[k].s;
    check_size(out.size());
  }
  return Value::str(std::move(out));
}

Value f_center(const Value& v, Args& a) {
  int64_t width = arg_or(a, 0, "width", Value::integer(80)).i;
  std::string s = to_str(v);
  int64_t n = static_cast<int64_t>(code_point_count(s));
  if (width <= n) return Value::str(s);
  check_size(static_cast<size_t>(width));
  int64_t pad = width - n, left = pad / 2 + (pad & width & 1);
  return Value::str(std::string(left, ' ') + s + std::string(pad - left, ' '));
}

Value f_wordcount(const Value& v, Args&) {
  int64_t words = 0;
  bool in_word = false;
  for (const std::string& c : code_points(to_str(v))) {
    UChar32 cp = static_cast<unsigned char>(c[0]);
    if (c.size() > 1) cp = icu::UnicodeString::fromUTF8(c).char32At(0);
    bool w = u_isalnum(cp) || cp == '_';
    words += w && !in_word;
    in_word = w;
  }
  return Value::integer(words);
}

Value f_items(const Value& v, Args&) {
  if (v.is_undefined()) return Value::list({});
  if (v.kind != Kind::Dict) fail("Can only get item pairs from a mapping.");
  Args none;
  return call_method(v, "items", none);
}

}  // namespace

Value filter_sequence(const std::string& name, const Value& v, Args& a);  // jinja_builtins.cpp

FilterFn find_filter(const std::string& name) {
  static const std::unordered_map<std::string, FilterFn> kFilters = {
      {"length", f_length}, {"count", f_length}, {"string", f_string}, {"safe", f_safe},
      {"trim", f_trim}, {"upper", f_upper}, {"lower", f_lower}, {"title", f_title},
      {"capitalize", f_capitalize}, {"replace", f_replace}, {"escape", f_escape}, {"e", f_escape},
      {"tojson", f_tojson}, {"default", f_default}, {"d", f_default}, {"first", f_first},
      {"last", f_last}, {"list", f_list}, {"reverse", f_reverse}, {"join", f_join}, {"int", f_int},
      {"float", f_float}, {"abs", f_abs}, {"round", f_round}, {"indent", f_indent},
      {"center", f_center}, {"wordcount", f_wordcount}, {"items", f_items},
      {"map", [](const Value& v, Args& a) { return filter_sequence("map", v, a); }},
      {"select", [](const Value& v, Args& a) { return filter_sequence("select", v, a); }},
      {"reject", [](const Value& v, Args& a) { return filter_sequence("reject", v, a); }},
      {"selectattr", [](const Value& v, Args& a) { return filter_sequence("selectattr", v, a); }},
      {"rejectattr", [](const Value& v, Args& a) { return filter_sequence("rejectattr", v, a); }},
      {"sort", [](const Value& v, Args& a) { return filter_sequence("sort", v, a); }},
      {"unique", [](const Value& v, Args& a) { return filter_sequence("unique", v, a); }},
      {"dictsort", [](const Value& v, Args& a) { return filter_sequence("dictsort", v, a); }},
      {"sum", [](const Value& v, Args& a) { return filter_sequence("sum", v, a); }},
      {"min", [](const Value& v, Args& a) { return filter_sequence("min", v, a); }},
      {"max", [](const Value& v, Args& a) { return filter_sequence("max", v, a); }},
      {"batch", [](const Value& v, Args& a) { return filter_sequence("batch", v, a); }},
  };
  auto it = kFilters.find(name);
  return it == kFilters.end() ? nullptr : it->second;
}

}  // namespace stepcoder::model::jinja
