// Values of the Jinja engine with Python's semantics: truthiness, str() and repr(), len(),
// iteration, dict keys with Python's hashing (1, 1.0 and True are one key), and the conversions
// from the JSON variables and to `tojson` output (json.dumps as transformers calls it).
// Operators are in jinja_operators.cpp.
//
//   Value v = from_json(vars["messages"]);
//   std::string s = to_str(v);   // "[{'role': 'user', ...}]", as Python prints it
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "model/jinja_internal.h"

namespace stepcoder::model::jinja {

void fail(std::string message) { throw JinjaError{std::move(message), 0}; }

void check_size(size_t bytes) {
  if (bytes > kMaxOutput) fail("output larger than the limit of " + std::to_string(kMaxOutput >> 20) + " MiB");
}

Value Value::list(std::vector<Value> items, bool tuple) {
  if (items.size() > kMaxListSize) fail("list longer than the limit of " + std::to_string(kMaxListSize) + " items");
  auto l = std::make_shared<ListObj>();
  l->items = std::move(items);
  l->tuple = tuple;
  Value v;
  v.kind = Kind::List;
  v.obj = std::move(l);
  return v;
}

Value Value::dict(std::shared_ptr<DictObj> d) {
  Value v;
  v.kind = Kind::Dict;
  v.obj = std::move(d);
  return v;
}

Value Value::callable(std::string name, std::function<Value(Args&)> fn) {
  auto c = std::make_shared<Callable>();
  c->name = std::move(name);
  c->fn = std::move(fn);
  Value v;
  v.kind = Kind::Callable;
  v.obj = std::move(c);
  return v;
}

const ListObj& Value::as_list() const { return static_cast<const ListObj&>(*obj); }
const DictObj& Value::as_dict() const { return static_cast<const DictObj&>(*obj); }
DictObj& Value::namespace_dict() const { return static_cast<DictObj&>(*obj); }
const Callable& Value::as_callable() const { return static_cast<const Callable&>(*obj); }

std::string key_string(const Value& key) {
  switch (key.kind) {
    case Kind::Str: return "s" + key.s;
    case Kind::Int: case Kind::Bool: return "i" + std::to_string(key.i);
    case Kind::Float:
      if (std::isfinite(key.f) && std::floor(key.f) == key.f && std::fabs(key.f) < 9e18) {
        return "i" + std::to_string(static_cast<int64_t>(key.f));
      }
      return "f" + float_repr(key.f);
    case Kind::None: return "n";
    case Kind::Undefined: return "u";
    case Kind::List: {
      if (!key.as_list().tuple) return "";
      std::string k = "t(";
      for (const Value& item : key.as_list().items) {
        std::string part = key_string(item);
        if (part.empty()) return "";
        k += std::to_string(part.size()) + ":" + part;
      }
      return k + ")";
    }
    case Kind::Dict: return "";
    default: return "p" + std::to_string(reinterpret_cast<uintptr_t>(key.obj.get()));
  }
}

const Value* DictObj::find(const Value& key) const {
  std::string k = key_string(key);
  if (k.empty()) return nullptr;
  auto it = index.find(k);
  return it == index.end() ? nullptr : &items[it->second].second;
}

void DictObj::set(const Value& key, Value value) {
  std::string k = key_string(key);
  if (k.empty()) fail("unhashable type: '" + type_name(key) + "'");
  auto it = index.find(k);
  if (it != index.end()) {
    items[it->second].second = std::move(value);
    return;
  }
  index.emplace(k, items.size());
  items.emplace_back(key, std::move(value));
}

bool truthy(const Value& v) {
  switch (v.kind) {
    case Kind::Undefined: case Kind::None: return false;
    case Kind::Bool: case Kind::Int: return v.i != 0;
    case Kind::Float: return v.f != 0;
    case Kind::Str: return !v.s.empty();
    case Kind::List: return !v.as_list().items.empty();
    case Kind::Dict: return !v.as_dict().items.empty();
    default: return true;
  }
}

std::string type_name(const Value& v) {
  switch (v.kind) {
    case Kind::Undefined: return "Undefined";
    case Kind::None: return "NoneType";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::Str: return "str";
    case Kind::List: return v.as_list().tuple ? "tuple" : "list";
    case Kind::Dict: return "dict";
    case Kind::Namespace: return "Namespace";
    case Kind::Callable: return "function";
  }
  return "object";
}

// Python's repr(float): the shortest digits that read back exactly, positional notation for
// exponents in [-4, 16), otherwise d.ddde+XX.
std::string float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string s(buf);
  std::string sign = s[0] == '-' ? "-" : "";
  if (!sign.empty()) s.erase(0, 1);
  size_t e = s.find('e');
  int exp = std::atoi(s.c_str() + e + 1);
  std::string digits = s.substr(0, 1) + (e > 2 ? s.substr(2, e - 2) : "");
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (exp >= 16 || exp < -4) {
    std::string m = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "");
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return sign + m + eb;
  }
  if (exp < 0) return sign + "0." + std::string(-exp - 1, '0') + digits;
  if (digits.size() <= static_cast<size_t>(exp) + 1) {
    return sign + digits + std::string(exp + 1 - digits.size(), '0') + ".0";
  }
  return sign + digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
}

namespace {

// Code points Python's repr() escapes besides ASCII controls (not str.isprintable()).
bool unprintable(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 ||
         cp == 0xFEFF || (cp >= 0xE000 && cp <= 0xF8FF);
}

uint32_t decode(const std::string& c) {
  auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(c[k])); };
  if (c.size() == 1) return b(0);
  if (c.size() == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  if (c.size() == 3) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

std::string str_repr(const std::string& s) {
  char q = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, q);
  for (const std::string& c : code_points(s)) {
    uint32_t cp = decode(c);
    char buf[16];
    if (c[0] == q || c[0] == '\\') {
      out += '\\', out += c;
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x20 || cp == 0x7F || (cp < 0x100 && unprintable(cp))) {
      std::snprintf(buf, sizeof buf, "\\x%02x", cp);
      out += buf;
    } else if (unprintable(cp)) {
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + q;
}

std::string seq_repr(const Value& v) {
  const ListObj& l = v.as_list();
  std::string out = l.tuple ? "(" : "[";
  for (size_t k = 0; k < l.items.size(); ++k) {
    if (k) out += ", ";
    out += repr(l.items[k]);
    check_size(out.size());
  }
  if (l.tuple && l.items.size() == 1) out += ",";
  return out + (l.tuple ? ")" : "]");
}

std::string dict_repr(const DictObj& d) {
  std::string out = "{";
  for (size_t k = 0; k < d.items.size(); ++k) {
    if (k) out += ", ";
    out += repr(d.items[k].first) + ": " + repr(d.items[k].second);
    check_size(out.size());
  }
  return out + "}";
}

}  // namespace

std::string repr(const Value& v) {
  switch (v.kind) {
    case Kind::Str: return str_repr(v.s);
    case Kind::Undefined: return "Undefined";
    default: return to_str(v);
  }
}

// Python's str(): None, True, ['a', 1], (1,). @huggingface/jinja prints none as "", true as
// "true" and lists as JSON (["a", 1]); transformers's output is Python's.
std::string to_str(const Value& v) {
  switch (v.kind) {
    case Kind::Undefined: return "";
    case Kind::None: return "None";
    case Kind::Bool: return v.i ? "True" : "False";
    case Kind::Int: return std::to_string(v.i);
    case Kind::Float: return float_repr(v.f);
    case Kind::Str: return v.s;
    case Kind::List: return seq_repr(v);
    case Kind::Dict: return dict_repr(v.as_dict());
    case Kind::Namespace: return "<Namespace " + dict_repr(v.as_dict()) + ">";
    case Kind::Callable: return "<function " + v.as_callable().name + ">";
  }
  return "";
}

void raise_undefined(const Value& v) { fail(v.s); }

int64_t length(const Value& v) {
  switch (v.kind) {
    case Kind::Undefined: return 0;
    case Kind::Str: return static_cast<int64_t>(code_point_count(v.s));
    case Kind::List: return static_cast<int64_t>(v.as_list().items.size());
    case Kind::Dict: return static_cast<int64_t>(v.as_dict().items.size());
    default: fail("object of type '" + type_name(v) + "' has no len()");
  }
}

std::vector<Value> iterate(const Value& v) {
  std::vector<Value> out;
  switch (v.kind) {
    case Kind::Undefined: return out;
    case Kind::List: return v.as_list().items;
    case Kind::Dict:
      for (const auto& kv : v.as_dict().items) out.push_back(kv.first);
      return out;
    case Kind::Str:
      for (std::string& c : code_points(v.s)) out.push_back(Value::str(std::move(c)));
      return out;
    default: fail("'" + type_name(v) + "' object is not iterable");
  }
}

Value from_json(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value::none();
    case nlohmann::json::value_t::boolean: return Value::boolean(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value::integer(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      return u > static_cast<uint64_t>(INT64_MAX) ? Value::number(static_cast<double>(u))
                                                   : Value::integer(static_cast<int64_t>(u));
    }
    case nlohmann::json::value_t::number_float: return Value::number(j.get<double>());
    case nlohmann::json::value_t::string: return Value::str(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      for (const auto& x : j) items.push_back(from_json(x));
      return Value::list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      auto d = std::make_shared<DictObj>();
      for (const auto& [k, x] : j.items()) d->set(Value::str(k), from_json(x));
      return Value::dict(std::move(d));
    }
    default: fail("variables hold a JSON value of unsupported type");
  }
}

namespace {

std::string json_string(const std::string& s, bool ensure_ascii) {
  std::string out = "\"";
  if (ensure_ascii) {
    for (const std::string& c : code_points(s)) {
      uint32_t cp = decode(c);
      if (cp < 0x80) {
        std::string e = json_string(c, false);
        out.append(e, 1, e.size() - 2);
        continue;
      }
      char buf[16];
      if (cp >= 0x10000) {
        cp -= 0x10000;
        std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
      } else {
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      }
      out += buf;
    }
    return out + "\"";
  }
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string json_float(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return float_repr(d);
}

std::string json_key(const Value& k) {
  switch (k.kind) {
    case Kind::Str: return k.s;
    case Kind::Int: return std::to_string(k.i);
    case Kind::Bool: return k.i ? "true" : "false";
    case Kind::Float: return json_float(k.f);
    case Kind::None: return "null";
    default: fail("keys must be str, int, float, bool or None, not " + type_name(k));
  }
}

struct JsonWriter {
  const JsonOptions& opt;
  std::string out;

  void newline(int level) {
    if (!opt.indent) return;
    out += '\n';
    for (int k = 0; k < level; ++k) out += *opt.indent;
  }

  void write(const Value& v, int level) {
    check_size(out.size());
    if (level > kMaxDepth) fail("tojson: nesting too deep");
    switch (v.kind) {
      case Kind::None: out += "null"; return;
      case Kind::Bool: out += v.i ? "true" : "false"; return;
      case Kind::Int: out += std::to_string(v.i); return;
      case Kind::Float: out += json_float(v.f); return;
      case Kind::Str: out += json_string(v.s, opt.ensure_ascii); return;
      case Kind::List: return write_list(v.as_list(), level);
      case Kind::Dict: return write_dict(v.as_dict(), level);
      default: fail("Object of type " + type_name(v) + " is not JSON serializable");
    }
  }

  void write_list(const ListObj& l, int level) {
    if (l.items.empty()) return void(out += "[]");
    out += '[';
    for (size_t k = 0; k < l.items.size(); ++k) {
      if (k) out += opt.item_sep;
      newline(level + 1);
      write(l.items[k], level + 1);
    }
    newline(level);
    out += ']';
  }

  void write_dict(const DictObj& d, int level) {
    if (d.items.empty()) return void(out += "{}");
    std::vector<const std::pair<Value, Value>*> items;
    for (const auto& kv : d.items) items.push_back(&kv);
    if (opt.sort_keys) {
      std::stable_sort(items.begin(), items.end(), [](auto* a, auto* b) {
        return compare(a->first, b->first, "<") < 0;
      });
    }
    out += '{';
    for (size_t k = 0; k < items.size(); ++k) {
      if (k) out += opt.item_sep;
      newline(level + 1);
      out += json_string(json_key(items[k]->first), opt.ensure_ascii) + opt.key_sep;
      write(items[k]->second, level + 1);
    }
    newline(level);
    out += '}';
  }
};

}  // namespace

std::string to_json(const Value& v, const JsonOptions& options) {
  JsonWriter w{options, {}};
  w.write(v, 0);
  check_size(w.out.size());
  return std::move(w.out);
}

}  // namespace stepcoder::model::jinja
