// Jinja's tests (`x is name`), the globals of transformers's environment (range, namespace,
// dict, raise_exception, strftime_now), the filters over sequences (map, select, sort, ...)
// and the argument binding the builtins share. Jinja returns generators from map, select,
// reject, selectattr, rejectattr and unique; here they are lists (templates pipe them to
// `list` or `join` anyway).
//
//   TestFn t = find_test("divisibleby");
//   Value r; find_global("range", &r);
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <unordered_map>

#include "model/jinja_internal.h"

namespace stepcoder::model::jinja {

const Value* arg(Args& a, size_t pos, const char* name) {
  if (pos < a.pos.size()) return &a.pos[pos];
  for (auto& kv : a.kw) {
    if (name && kv.first == name) return &kv.second;
  }
  return nullptr;
}

Value arg_or(Args& a, size_t pos, const char* name, Value fallback) {
  const Value* v = arg(a, pos, name);
  return v ? *v : fallback;
}

void check_args(Args& a, size_t max_pos, std::initializer_list<const char*> names, const char* fn) {
  if (a.pos.size() > max_pos) {
    fail(std::string(fn) + "() takes at most " + std::to_string(max_pos) + " argument(s) (" +
         std::to_string(a.pos.size()) + " given)");
  }
  for (const auto& kv : a.kw) {
    if (std::none_of(names.begin(), names.end(), [&](const char* n) { return kv.first == n; })) {
      fail(std::string(fn) + "() got an unexpected keyword argument '" + kv.first + "'");
    }
  }
}

Value attr_path(const Value& v, const std::string& path) {
  Value cur = v;
  size_t b = 0;
  while (true) {
    size_t e = path.find('.', b);
    std::string part = path.substr(b, e == std::string::npos ? std::string::npos : e - b);
    bool digits = !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit);
    cur = get_item(cur, digits ? Value::integer(std::stoll(part)) : Value::str(part));
    if (e == std::string::npos) return cur;
    b = e + 1;
  }
}

namespace {

Value lowered(const Value& v, bool case_sensitive) {
  return v.is_str() && !case_sensitive ? Value::str(case_map(v.s, 'l')) : v;
}

// The item or its `attribute`, case-folded unless case_sensitive: what sort/unique compare.
Value sort_key(const Value& item, const Value& attribute, bool case_sensitive) {
  Value k = attribute.kind == Kind::None ? item : attr_path(item, to_str(attribute));
  return lowered(k, case_sensitive);
}

bool run_test(const std::string& name, const Value& item, Args& rest) {
  TestFn t = find_test(name);
  if (!t) fail("no test named '" + name + "'");
  return t(item, rest);
}

// select/reject/selectattr/rejectattr: keep items whose test (or truthiness) is `keep`.
Value select(const Value& v, Args& a, bool by_attr, bool keep) {
  size_t first = by_attr ? 1 : 0;
  std::string attribute = by_attr ? to_str(arg_or(a, 0, "attribute", Value::str(""))) : "";
  std::vector<Value> out;
  for (const Value& item : iterate(v)) {
    Value x = by_attr ? attr_path(item, attribute) : item;
    bool ok;
    if (a.pos.size() > first) {
      Args rest;
      rest.pos.assign(a.pos.begin() + first + 1, a.pos.end());
      rest.kw = a.kw;
      ok = run_test(to_str(a.pos[first]), x, rest);
    } else {
      ok = truthy(x);
    }
    if (ok == keep) out.push_back(item);
  }
  return Value::list(std::move(out));
}

Value map(const Value& v, Args& a) {
  std::vector<Value> out;
  if (a.pos.empty()) {
    std::string attribute = to_str(arg_or(a, 99, "attribute", Value::str("")));
    const Value* dflt = arg(a, 99, "default");
    for (const Value& item : iterate(v)) {
      Value x = attr_path(item, attribute);
      out.push_back(x.is_undefined() && dflt ? *dflt : x);
    }
    return Value::list(std::move(out));
  }
  std::string name = to_str(a.pos[0]);
  FilterFn f = find_filter(name);
  if (!f) fail("no filter named '" + name + "'");
  for (const Value& item : iterate(v)) {
    Args rest;
    rest.pos.assign(a.pos.begin() + 1, a.pos.end());
    rest.kw = a.kw;
    out.push_back(f(item, rest));
  }
  return Value::list(std::move(out));
}

Value sort(const Value& v, Args& a) {
  check_args(a, 3, {"reverse", "case_sensitive", "attribute"}, "sort");
  bool reverse = truthy(arg_or(a, 0, "reverse", Value::boolean(false)));
  bool cs = truthy(arg_or(a, 1, "case_sensitive", Value::boolean(false)));
  Value attribute = arg_or(a, 2, "attribute", Value::none());
  std::vector<std::pair<Value, Value>> keyed;
  for (const Value& item : iterate(v)) keyed.emplace_back(sort_key(item, attribute, cs), item);
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
    return reverse ? compare(y.first, x.first, "<") < 0 : compare(x.first, y.first, "<") < 0;
  });
  std::vector<Value> out;
  for (auto& kv : keyed) out.push_back(std::move(kv.second));
  return Value::list(std::move(out));
}

Value unique(const Value& v, Args& a) {
  check_args(a, 2, {"case_sensitive", "attribute"}, "unique");
  bool cs = truthy(arg_or(a, 0, "case_sensitive", Value::boolean(false)));
  Value attribute = arg_or(a, 1, "attribute", Value::none());
  std::vector<Value> out, seen;
  for (const Value& item : iterate(v)) {
    Value k = sort_key(item, attribute, cs);
    if (std::none_of(seen.begin(), seen.end(), [&](const Value& s) { return equals(s, k); })) {
      seen.push_back(k);
      out.push_back(item);
    }
  }
  return Value::list(std::move(out));
}

Value dictsort(const Value& v, Args& a) {
  check_args(a, 3, {"case_sensitive", "by", "reverse"}, "dictsort");
  if (v.kind != Kind::Dict) fail("dictsort: a mapping is needed, not " + type_name(v));
  bool cs = truthy(arg_or(a, 0, "case_sensitive", Value::boolean(false)));
  std::string by = to_str(arg_or(a, 1, "by", Value::str("key")));
  bool reverse = truthy(arg_or(a, 2, "reverse", Value::boolean(false)));
  if (by != "key" && by != "value") fail("You can only sort by either 'key' or 'value'");
  std::vector<Value> items;
  for (const auto& [k, x] : v.as_dict().items) items.push_back(Value::list({k, x}, true));
  size_t pos = by == "key" ? 0 : 1;
  std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
    int c = compare(lowered(x.as_list().items[pos], cs), lowered(y.as_list().items[pos], cs), "<");
    return reverse ? c > 0 : c < 0;
  });
  return Value::list(std::move(items));
}

Value sum(const Value& v, Args& a) {
  check_args(a, 2, {"attribute", "start"}, "sum");
  Value attribute = arg_or(a, 0, "attribute", Value::none());
  Value total = arg_or(a, 1, "start", Value::integer(0));
  for (const Value& item : iterate(v)) {
    total = binary_op("+", total, attribute.kind == Kind::None ? item : attr_path(item, to_str(attribute)));
  }
  return total;
}

Value min_max(const Value& v, Args& a, bool is_max) {
  check_args(a, 2, {"case_sensitive", "attribute"}, is_max ? "max" : "min");
  bool cs = truthy(arg_or(a, 0, "case_sensitive", Value::boolean(false)));
  Value attribute = arg_or(a, 1, "attribute", Value::none());
  std::vector<Value> items = iterate(v);
  if (items.empty()) return Value::undefined("No aggregated item, sequence was empty.");
  size_t best = 0;
  for (size_t k = 1; k < items.size(); ++k) {
    int c = compare(sort_key(items[k], attribute, cs), sort_key(items[best], attribute, cs), "<");
    if (is_max ? c > 0 : c < 0) best = k;
  }
  return items[best];
}

Value batch(const Value& v, Args& a) {
  check_args(a, 2, {"linecount", "fill_with"}, "batch");
  Value count = arg_or(a, 0, "linecount", Value::integer(1));
  const Value* fill = arg(a, 1, "fill_with");
  if (!count.is_integer() || count.i <= 0) fail("batch: linecount must be a positive integer");
  std::vector<Value> out, row;
  for (const Value& item : iterate(v)) {
    row.push_back(item);
    if (static_cast<int64_t>(row.size()) == count.i) out.push_back(Value::list(std::move(row))), row.clear();
  }
  if (!row.empty()) {
    while (fill && fill->kind != Kind::None && static_cast<int64_t>(row.size()) < count.i) row.push_back(*fill);
    out.push_back(Value::list(std::move(row)));
  }
  return Value::list(std::move(out));
}

// ---- tests ----

const Value& test_arg(Args& a, const char* test) {
  const Value* v = arg(a, 0, nullptr);
  if (!v) fail(std::string("test '") + test + "' needs an argument");
  return *v;
}

bool t_odd_even(const Value& v, bool odd) {
  Value r = binary_op("%", v, Value::integer(2));
  return truthy(r) == odd;
}

bool t_lower_upper(const Value& v, bool upper) {
  Args none;
  return truthy(call_method(Value::str(to_str(v)), upper ? "isupper" : "islower", none));
}

bool t_sameas(const Value& v, const Value& other) {
  if (v.kind != other.kind) return false;
  if (v.obj || other.obj) return v.obj == other.obj;
  return equals(v, other);
}

const std::unordered_map<std::string, TestFn>& tests() {
  static const std::unordered_map<std::string, TestFn> kTests = {
      {"defined", [](const Value& v, Args&) { return !v.is_undefined(); }},
      {"undefined", [](const Value& v, Args&) { return v.is_undefined(); }},
      {"none", [](const Value& v, Args&) { return v.kind == Kind::None; }},
      {"boolean", [](const Value& v, Args&) { return v.kind == Kind::Bool; }},
      {"true", [](const Value& v, Args&) { return v.kind == Kind::Bool && v.i; }},
      {"false", [](const Value& v, Args&) { return v.kind == Kind::Bool && !v.i; }},
      {"integer", [](const Value& v, Args&) { return v.kind == Kind::Int; }},  // not True
      {"float", [](const Value& v, Args&) { return v.kind == Kind::Float; }},
      {"number", [](const Value& v, Args&) { return v.is_number(); }},  // True too (JS: no)
      {"string", [](const Value& v, Args&) { return v.is_str(); }},
      {"mapping", [](const Value& v, Args&) { return v.kind == Kind::Dict; }},
      {"iterable", [](const Value& v, Args&) {
         return v.is_undefined() || v.is_str() || v.kind == Kind::List || v.kind == Kind::Dict; }},
      {"sequence", [](const Value& v, Args&) { return v.is_str() || v.kind == Kind::List || v.kind == Kind::Dict; }},
      {"callable", [](const Value& v, Args&) { return v.kind == Kind::Callable; }},
      {"escaped", [](const Value&, Args&) { return false; }},
      {"odd", [](const Value& v, Args&) { return t_odd_even(v, true); }},
      {"even", [](const Value& v, Args&) { return t_odd_even(v, false); }},
      {"divisibleby", [](const Value& v, Args& a) {
         return !truthy(binary_op("%", v, test_arg(a, "divisibleby"))); }},
      {"lower", [](const Value& v, Args&) { return t_lower_upper(v, false); }},
      {"upper", [](const Value& v, Args&) { return t_lower_upper(v, true); }},
      {"sameas", [](const Value& v, Args& a) { return t_sameas(v, test_arg(a, "sameas")); }},
      {"in", [](const Value& v, Args& a) { return contains(test_arg(a, "in"), v); }},
      {"filter", [](const Value& v, Args&) { return v.is_str() && find_filter(v.s) != nullptr; }},
      {"test", [](const Value& v, Args&) { return v.is_str() && find_test(v.s) != nullptr; }},
      {"eq", [](const Value& v, Args& a) { return equals(v, test_arg(a, "eq")); }},
      {"ne", [](const Value& v, Args& a) { return !equals(v, test_arg(a, "ne")); }},
      {"lt", [](const Value& v, Args& a) { return compare(v, test_arg(a, "lt"), "<") < 0; }},
      {"le", [](const Value& v, Args& a) { return compare(v, test_arg(a, "le"), "<=") <= 0; }},
      {"gt", [](const Value& v, Args& a) { return compare(v, test_arg(a, "gt"), ">") > 0; }},
      {"ge", [](const Value& v, Args& a) { return compare(v, test_arg(a, "ge"), ">=") >= 0; }},
  };
  return kTests;
}

// ---- globals ----

Value g_range(Args& a) {
  check_args(a, 3, {}, "range");
  for (const Value& v : a.pos) {
    if (!v.is_integer()) fail("'" + type_name(v) + "' object cannot be interpreted as an integer");
  }
  if (a.pos.empty()) fail("range expected at least 1 argument, got 0");
  int64_t start = a.pos.size() > 1 ? a.pos[0].i : 0;
  int64_t stop = a.pos.size() > 1 ? a.pos[1].i : a.pos[0].i;
  int64_t step = a.pos.size() > 2 ? a.pos[2].i : 1;
  if (step == 0) fail("range() arg 3 must not be zero");
  long double n = step > 0 ? std::ceil((static_cast<long double>(stop) - start) / step)
                           : std::ceil((static_cast<long double>(start) - stop) / -step);
  if (n > kMaxRange) {
    fail("Range too big. The sandbox blocks ranges larger than MAX_RANGE (" + std::to_string(kMaxRange) + ").");
  }
  std::vector<Value> out;
  for (int64_t k = 0; k < static_cast<int64_t>(n); ++k) out.push_back(Value::integer(start + k * step));
  return Value::list(std::move(out));
}

// namespace(...) and dict(...): an optional mapping, then keyword arguments.
Value g_mapping(Args& a, Kind kind) {
  auto d = std::make_shared<DictObj>();
  if (a.pos.size() > 1) fail("expected at most 1 positional argument, got " + std::to_string(a.pos.size()));
  if (!a.pos.empty()) {
    const Value& init = a.pos[0];
    if (init.kind == Kind::Dict || init.kind == Kind::Namespace) {
      for (const auto& [k, v] : init.as_dict().items) d->set(k, v);
    } else {
      for (const Value& pair : iterate(init)) {
        std::vector<Value> kv = iterate(pair);
        if (kv.size() != 2) fail("dictionary update sequence element has length " + std::to_string(kv.size()) + "; 2 is required");
        d->set(kv[0], kv[1]);
      }
    }
  }
  for (auto& [k, v] : a.kw) d->set(Value::str(k), v);
  Value out = Value::dict(std::move(d));
  out.kind = kind;
  return out;
}

Value g_strftime_now(Args& a) {
  check_args(a, 1, {}, "strftime_now");
  std::string fmt = to_str(arg_or(a, 0, nullptr, Value::str("")));
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[512];
  size_t n = std::strftime(buf, sizeof buf, fmt.c_str(), &tm);
  return Value::str(std::string(buf, n));
}

}  // namespace

Value filter_sequence(const std::string& name, const Value& v, Args& a) {
  if (name == "map") return map(v, a);
  if (name == "select" || name == "reject") return select(v, a, false, name == "select");
  if (name == "selectattr" || name == "rejectattr") return select(v, a, true, name == "selectattr");
  if (name == "sort") return sort(v, a);
  if (name == "unique") return unique(v, a);
  if (name == "dictsort") return dictsort(v, a);
  if (name == "sum") return sum(v, a);
  if (name == "min" || name == "max") return min_max(v, a, name == "max");
  return batch(v, a);
}

TestFn find_test(const std::string& name) {
  static const std::unordered_map<std::string, std::string> kAliases = {
      {"==", "eq"}, {"equalto", "eq"}, {"!=", "ne"}, {"<", "lt"}, {"lessthan", "lt"}, {"<=", "le"},
      {">", "gt"}, {"greaterthan", "gt"}, {">=", "ge"}};
  auto alias = kAliases.find(name);
  const std::string& key = alias == kAliases.end() ? name : alias->second;
  auto it = tests().find(key);
  return it == tests().end() ? nullptr : it->second;
}

bool find_global(const std::string& name, Value* out) {
  static const std::unordered_map<std::string, Value> kGlobals = {
      {"range", Value::callable("range", g_range)},
      {"namespace", Value::callable("namespace", [](Args& a) { return g_mapping(a, Kind::Namespace); })},
      {"dict", Value::callable("dict", [](Args& a) { return g_mapping(a, Kind::Dict); })},
      {"raise_exception", Value::callable("raise_exception", [](Args& a) -> Value {
         fail(to_str(arg_or(a, 0, "message", Value::str("")))); })},
      {"strftime_now", Value::callable("strftime_now", g_strftime_now)},
  };
  auto it = kGlobals.find(name);
  if (it == kGlobals.end()) return false;
  *out = it->second;
  return true;
}

}  // namespace stepcoder::model::jinja
