// Attribute and item lookup as Jinja resolves them (`a.b` tries the attribute, then the item;
// `a[b]` the item, then the attribute; a miss is an undefined value, not an error), slices,
// and the methods of str and dict that chat templates call, with Python's semantics on code
// points (ICU for case mapping and character classes).
//
//   Value parts = call_method(Value::str("a b"), "split", args);   // ['a', 'b']
//   Value role = get_attr(message, "role");
#include <algorithm>
#include <set>

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "model/jinja_internal.h"

namespace stepcoder::model::jinja {

std::vector<std::string> code_points(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    n = std::min(n, s.size() - i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

size_t code_point_count(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

namespace {

UChar32 first_cp(const std::string& c) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(c);
  return u.length() ? u.char32At(0) : 0;
}

std::string utf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Python's str.isspace() characters, which str.split() and str.strip() use.
bool py_space(UChar32 c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool py_cased(UChar32 c) { return u_isULowercase(c) || u_isUUppercase(c) || u_istitle(c); }

std::string title_case(const std::string& s) {
  std::string out;
  bool prev_cased = false;
  for (const std::string& c : code_points(s)) {
    UChar32 cp = first_cp(c);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(c);
    if (prev_cased) {
      u.toLower(icu::Locale::getRoot());
    } else {
      u = icu::UnicodeString(u_totitle(cp));
    }
    out += utf8(u);
    prev_cased = py_cased(cp);
  }
  return out;
}

std::string capitalize(const std::string& s) {
  std::vector<std::string> cps = code_points(s);
  if (cps.empty()) return "";
  std::string out = utf8(icu::UnicodeString(u_totitle(first_cp(cps[0]))));
  return out + case_map(s.substr(cps[0].size()), 'l');
}

// Python's str.strip family: which == 'l', 'r' or 'b'oth; chars null means whitespace.
std::string strip(const std::string& s, const Value* chars, char which) {
  std::vector<std::string> cps = code_points(s);
  std::set<std::string> set;
  bool ws = !chars || chars->kind == Kind::None || chars->is_undefined();
  if (!ws) {
    if (!chars->is_str()) fail("strip arg must be None or str");
    for (std::string& c : code_points(chars->s)) set.insert(std::move(c));
  }
  auto strip_it = [&](const std::string& c) { return ws ? py_space(first_cp(c)) : set.count(c) > 0; };
  size_t b = 0, e = cps.size();
  if (which != 'r') while (b < e && strip_it(cps[b])) ++b;
  if (which != 'l') while (e > b && strip_it(cps[e - 1])) --e;
  std::string out;
  for (size_t k = b; k < e; ++k) out += cps[k];
  return out;
}

std::vector<Value> split_ws(const std::string& s, int64_t maxsplit) {
  std::vector<Value> out;
  std::vector<std::string> cps = code_points(s);
  size_t k = 0;
  while (true) {
    while (k < cps.size() && py_space(first_cp(cps[k]))) ++k;
    if (k == cps.size()) break;
    std::string word;
    if (maxsplit >= 0 && static_cast<int64_t>(out.size()) == maxsplit) {
      for (size_t e = cps.size(); e > k && py_space(first_cp(cps[e - 1]));) cps.resize(--e);
      for (; k < cps.size(); ++k) word += cps[k];
      out.push_back(Value::str(std::move(word)));
      break;
    }
    while (k < cps.size() && !py_space(first_cp(cps[k]))) word += cps[k++];
    out.push_back(Value::str(std::move(word)));
  }
  return out;
}

Value split(const std::string& s, Args& a, bool from_right) {
  check_args(a, 2, {"sep", "maxsplit"}, from_right ? "rsplit" : "split");
  Value sep = arg_or(a, 0, "sep", Value::none());
  Value maxv = arg_or(a, 1, "maxsplit", Value::integer(-1));
  if (!maxv.is_integer()) fail("'" + type_name(maxv) + "' object cannot be interpreted as an integer");
  int64_t maxsplit = maxv.i;
  if (sep.kind == Kind::None) {
    if (!from_right || maxsplit < 0) return Value::list(split_ws(s, maxsplit));
    std::string rev;
    for (auto& c : code_points(s)) rev.insert(0, c);
    std::vector<Value> parts = split_ws(rev, maxsplit);
    std::reverse(parts.begin(), parts.end());
    for (Value& p : parts) {
      std::string r;
      for (auto& c : code_points(p.s)) r.insert(0, c);
      p.s = r;
    }
    return Value::list(std::move(parts));
  }
  if (!sep.is_str()) fail("must be str or None, not " + type_name(sep));
  if (sep.s.empty()) fail("empty separator");
  std::vector<Value> out;
  if (!from_right) {
    size_t b = 0;
    for (size_t p; (maxsplit < 0 || static_cast<int64_t>(out.size()) < maxsplit) &&
                   (p = s.find(sep.s, b)) != std::string::npos;
         b = p + sep.s.size()) {
      out.push_back(Value::str(s.substr(b, p - b)));
    }
    out.push_back(Value::str(s.substr(b)));
    return Value::list(std::move(out));
  }
  size_t e = s.size();
  for (size_t p; (maxsplit < 0 || static_cast<int64_t>(out.size()) < maxsplit) && e >= sep.s.size() &&
                 (p = s.rfind(sep.s, e - sep.s.size())) != std::string::npos;
       e = p) {
    out.push_back(Value::str(s.substr(p + sep.s.size(), e - p - sep.s.size())));
  }
  out.push_back(Value::str(s.substr(0, e)));
  std::reverse(out.begin(), out.end());
  return Value::list(std::move(out));
}

bool affix(const std::string& s, const Value& what, bool prefix) {
  auto one = [&](const Value& v) {
    if (!v.is_str()) fail(std::string(prefix ? "startswith" : "endswith") + " first arg must be str or a tuple of str, not " + type_name(v));
    if (v.s.size() > s.size()) return false;
    return prefix ? s.compare(0, v.s.size(), v.s) == 0 : s.compare(s.size() - v.s.size(), v.s.size(), v.s) == 0;
  };
  if (what.kind == Kind::List && what.as_list().tuple) {
    return std::any_of(what.as_list().items.begin(), what.as_list().items.end(), one);
  }
  return one(what);
}

std::string replace(const std::string& s, const std::string& old, const std::string& repl, int64_t count) {
  std::string out;
  if (old.empty()) {
    std::vector<std::string> cps = code_points(s);
    int64_t done = 0;
    for (size_t k = 0; k <= cps.size(); ++k) {
      if (count < 0 || done < count) out += repl, ++done;
      if (k < cps.size()) out += cps[k];
      check_size(out.size());
    }
    return out;
  }
  size_t b = 0;
  int64_t done = 0;
  for (size_t p; (count < 0 || done < count) && (p = s.find(old, b)) != std::string::npos; b = p + old.size()) {
    out.append(s, b, p - b);
    out += repl;
    ++done;
    check_size(out.size());
  }
  out.append(s, b, std::string::npos);
  return out;
}

int64_t cp_index(const std::string& s, size_t byte) {
  return byte == std::string::npos ? -1 : static_cast<int64_t>(code_point_count(s.substr(0, byte)));
}

bool char_class(const std::string& s, bool (*pred)(UChar32)) {
  std::vector<std::string> cps = code_points(s);
  return !cps.empty() && std::all_of(cps.begin(), cps.end(), [&](const std::string& c) { return pred(first_cp(c)); });
}

bool case_test(const std::string& s, bool upper) {
  bool cased = false;
  for (const std::string& c : code_points(s)) {
    UChar32 cp = first_cp(c);
    if (upper ? u_isULowercase(cp) || u_istitle(cp) : u_isUUppercase(cp) || u_istitle(cp)) return false;
    cased = cased || py_cased(cp);
  }
  return cased;
}

std::vector<Value> splitlines(const std::string& s) {
  std::vector<Value> out;
  std::string line;
  std::vector<std::string> cps = code_points(s);
  for (size_t k = 0; k < cps.size(); ++k) {
    UChar32 c = first_cp(cps[k]);
    bool brk = c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E) ||
               c == 0x85 || c == 0x2028 || c == 0x2029;
    if (!brk) {
      line += cps[k];
      continue;
    }
    if (c == '\r' && k + 1 < cps.size() && cps[k + 1] == "\n") ++k;
    out.push_back(Value::str(std::move(line)));
    line.clear();
  }
  if (!line.empty()) out.push_back(Value::str(std::move(line)));
  return out;
}

// '{}', '{0}' and '{name}' fields of str.format; a format spec or conversion is unsupported.
std::string format(const std::string& fmt, Args& a) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if ((c == '{' || c == '}') && i + 1 < fmt.size() && fmt[i + 1] == c) {
      out += c, ++i;
      continue;
    }
    if (c == '}') fail("Single '}' encountered in format string");
    if (c != '{') {
      out += c;
      continue;
    }
    size_t end = fmt.find('}', i);
    if (end == std::string::npos) fail("Single '{' encountered in format string");
    std::string field = fmt.substr(i + 1, end - i - 1);
    if (field.find_first_of(":!.[") != std::string::npos) fail("unsupported: format specs in str.format");
    const Value* v = nullptr;
    if (field.empty() || std::all_of(field.begin(), field.end(), ::isdigit)) {
      size_t k = field.empty() ? next++ : std::stoul(field);
      if (k >= a.pos.size()) fail("Replacement index " + std::to_string(k) + " out of range for positional args tuple");
      v = &a.pos[k];
    } else {
      for (auto& kv : a.kw) if (kv.first == field) v = &kv.second;
      if (!v) fail("'" + field + "'");
    }
    out += to_str(*v);
    check_size(out.size());
    i = end;
  }
  return out;
}

Value str_method(const std::string& s, const std::string& name, Args& a) {
  auto str_arg = [&](size_t k, const char* n) {
    const Value* v = arg(a, k, n);
    if (!v || !v->is_str()) fail(name + "() argument must be str, not " + (v ? type_name(*v) : "nothing"));
    return v->s;
  };
  if (name == "startswith" || name == "endswith") {
    check_args(a, 1, {}, name.c_str());
    const Value* v = arg(a, 0, "prefix");
    if (!v) fail(name + "() takes at least 1 argument (0 given)");
    return Value::boolean(affix(s, *v, name == "startswith"));
  }
  if (name == "split" || name == "rsplit") return split(s, a, name == "rsplit");
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    check_args(a, 1, {}, name.c_str());
    return Value::str(strip(s, arg(a, 0, "chars"), name[0] == 's' ? 'b' : name[0]));
  }
  if (name == "upper") return Value::str(case_map(s, 'u'));
  if (name == "lower") return Value::str(case_map(s, 'l'));
  if (name == "title") return Value::str(title_case(s));
  if (name == "capitalize") return Value::str(capitalize(s));
  if (name == "replace") {
    check_args(a, 3, {"count"}, "replace");
    Value count = arg_or(a, 2, "count", Value::integer(-1));
    return Value::str(replace(s, str_arg(0, "old"), str_arg(1, "new"), count.i));
  }
  if (name == "find" || name == "rfind" || name == "index" || name == "rindex") {
    check_args(a, 1, {}, name.c_str());
    std::string sub = str_arg(0, "sub");
    size_t p = name[0] == 'r' ? s.rfind(sub) : s.find(sub);
    if (p == std::string::npos && name.find("index") != std::string::npos) fail("substring not found");
    return Value::integer(cp_index(s, p));
  }
  if (name == "count") {
    std::string sub = str_arg(0, "sub");
    if (sub.empty()) return Value::integer(static_cast<int64_t>(code_point_count(s)) + 1);
    int64_t n = 0;
    for (size_t p = s.find(sub); p != std::string::npos; p = s.find(sub, p + sub.size())) ++n;
    return Value::integer(n);
  }
  if (name == "join") {
    const Value* v = arg(a, 0, "iterable");
    if (!v) fail("join() takes exactly one argument (0 given)");
    std::string out;
    std::vector<Value> items = iterate(*v);
    for (size_t k = 0; k < items.size(); ++k) {
      if (!items[k].is_str()) fail("sequence item " + std::to_string(k) + ": expected str instance, " + type_name(items[k]) + " found");
      if (k) out += s;
      out += items[k].s;
      check_size(out.size());
    }
    return Value::str(std::move(out));
  }
  if (name == "splitlines") return Value::list(splitlines(s));
  if (name == "format") return Value::str(format(s, a));
  if (name == "isdigit") return Value::boolean(char_class(s, [](UChar32 c) -> bool { return u_isdigit(c); }));
  if (name == "isalpha") return Value::boolean(char_class(s, [](UChar32 c) -> bool { return u_isalpha(c); }));
  if (name == "isalnum") return Value::boolean(char_class(s, [](UChar32 c) -> bool { return u_isalnum(c); }));
  if (name == "isspace") return Value::boolean(char_class(s, py_space));
  if (name == "islower") return Value::boolean(case_test(s, false));
  if (name == "isupper") return Value::boolean(case_test(s, true));
  fail("'str' object has no attribute '" + name + "'");
}

Value dict_method(const DictObj& d, const std::string& name, Args& a) {
  if (name == "get") {  // a missing key gives None (@huggingface/jinja: undefined)
    check_args(a, 2, {}, "get");
    const Value* key = arg(a, 0, "key");
    if (!key) fail("get expected at least 1 argument, got 0");
    const Value* v = d.find(*key);
    return v ? *v : arg_or(a, 1, "default", Value::none());
  }
  check_args(a, 0, {}, name.c_str());
  std::vector<Value> out;
  for (const auto& [k, v] : d.items) {
    if (name == "keys") out.push_back(k);
    else if (name == "values") out.push_back(v);
    else out.push_back(Value::list({k, v}, true));
  }
  return Value::list(std::move(out));
}

const std::set<std::string> kStrMethods = {
    "startswith", "endswith", "split", "rsplit", "strip", "lstrip", "rstrip", "upper", "lower",
    "title", "capitalize", "replace", "find", "rfind", "index", "rindex", "count", "join",
    "splitlines", "format", "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper"};
const std::set<std::string> kDictMethods = {"items", "keys", "values", "get"};
// Attributes the immutable sandbox refuses: they would modify the object.
const std::set<std::string> kDictMutators = {"pop", "popitem", "update", "clear", "setdefault"};
const std::set<std::string> kListMutators = {"append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear"};

// object_type_repr of Jinja: how an undefined value's message names the object it came from.
std::string object_desc(const Value& v) {
  if (v.kind == Kind::None) return "None";
  if (v.kind == Kind::Namespace) return "jinja2.utils.Namespace object";
  return type_name(v) + " object";
}

Value missing_attr(const Value& obj, const std::string& name) {
  return Value::undefined(repr(Value::str(object_desc(obj))) + " has no attribute " + repr(Value::str(name)));
}

}  // namespace

std::string case_map(const std::string& s, char how) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  if (how == 'u') u.toUpper(icu::Locale::getRoot());
  else u.toLower(icu::Locale::getRoot());
  return utf8(u);
}

bool has_method(const Value& self, const std::string& name) {
  if (self.is_str()) return kStrMethods.count(name) > 0;
  if (self.kind == Kind::Dict) return kDictMethods.count(name) > 0;
  return false;
}

Value call_method(const Value& self, const std::string& name, Args& args) {
  if (self.is_str()) return str_method(self.s, name, args);
  return dict_method(self.as_dict(), name, args);
}

// An attribute of an undefined value is an UndefinedError as in Jinja (@huggingface/jinja
// returns undefined: `{{ foo.bar }}` prints ""). Dict methods win over keys for `a.b` (so
// `d.items` is the method even when d has a key "items"), as in Jinja. keys(), values() and
// items() return lists, where Python's views would print as dict_items([...]).
Value get_attr(const Value& obj, const std::string& name) {
  if (obj.is_undefined()) raise_undefined(obj);
  if (has_method(obj, name)) {
    return Value::callable(name, [obj, name](Args& a) { return call_method(obj, name, a); });
  }
  if ((obj.kind == Kind::Dict && kDictMutators.count(name)) || (obj.kind == Kind::List && kListMutators.count(name))) {
    return Value::undefined("access to attribute '" + name + "' of '" + type_name(obj) + "' object is unsafe.");
  }
  if (obj.kind == Kind::Dict || obj.kind == Kind::Namespace) {
    if (const Value* v = obj.as_dict().find(Value::str(name))) return *v;
  }
  return missing_attr(obj, name);
}

Value get_item(const Value& obj, const Value& key) {
  if (obj.is_undefined()) raise_undefined(obj);
  if (obj.kind == Kind::Dict || obj.kind == Kind::Namespace) {
    if (const Value* v = obj.as_dict().find(key)) return *v;
  } else if ((obj.kind == Kind::List || obj.is_str()) && key.is_integer()) {
    int64_t n = length(obj), k = key.i < 0 ? key.i + n : key.i;
    if (k >= 0 && k < n) {
      if (obj.kind == Kind::List) return obj.as_list().items[k];
      return Value::str(code_points(obj.s)[k]);
    }
  }
  if (key.is_str()) return obj.kind == Kind::Namespace ? missing_attr(obj, key.s) : get_attr(obj, key.s);
  return Value::undefined(object_desc(obj) + " has no element " + repr(key));
}

Value slice(const Value& obj, const Value& start, const Value& stop, const Value& step) {
  if (obj.is_undefined()) raise_undefined(obj);
  if (obj.kind != Kind::List && !obj.is_str()) return Value::undefined(object_desc(obj) + " has no element slice");
  auto index = [](const Value& v, int64_t dflt) {
    if (v.kind == Kind::None || v.is_undefined()) return dflt;
    if (!v.is_integer()) fail("slice indices must be integers or None or have an __index__ method");
    return v.i;
  };
  int64_t n = length(obj);
  int64_t st = index(step, 1);
  if (st == 0) fail("slice step cannot be zero");
  int64_t lower = st > 0 ? 0 : -1, upper = st > 0 ? n : n - 1;
  auto adjust = [&](const Value& v, int64_t dflt) {
    if (v.kind == Kind::None || v.is_undefined()) return dflt;
    int64_t k = index(v, 0);
    if (k < 0) k += n;
    return std::clamp(k, lower, upper);
  };
  int64_t b = adjust(start, st > 0 ? 0 : n - 1), e = adjust(stop, st > 0 ? n : -1);
  std::vector<size_t> picks;
  for (int64_t k = b; st > 0 ? k < e : k > e; k += st) picks.push_back(static_cast<size_t>(k));
  if (obj.is_str()) {
    std::vector<std::string> cps = code_points(obj.s);
    std::string out;
    for (size_t k : picks) out += cps[k];
    return Value::str(std::move(out));
  }
  std::vector<Value> out;
  for (size_t k : picks) out.push_back(obj.as_list().items[k]);
  return Value::list(std::move(out), obj.as_list().tuple);
}

}  // namespace stepcoder::model::jinja
