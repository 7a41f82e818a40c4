// Schema-checked YAML configuration: see config.h.
#include "util/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "util/files.h"

namespace stepcoder {

namespace {

const char* type_name(ConfigSchema::Type t) {
  switch (t) {
    case ConfigSchema::Type::Int: return "integer";
    case ConfigSchema::Type::Double: return "number";
    case ConfigSchema::Type::Bool: return "boolean";
    case ConfigSchema::Type::String: return "string";
    case ConfigSchema::Type::StringList: return "list of strings";
    case ConfigSchema::Type::DoubleList: return "list of numbers";
  }
  return "?";
}

std::string fmt_double(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string yaml_quote(const std::string& s) {
  YAML::Emitter e;
  e << YAML::DoubleQuoted << s;
  return e.c_str();
}

}  // namespace

ConfigSchema::Field& ConfigSchema::Field::range(double l, double h) {
  has_range = true;
  lo = l;
  hi = h;
  return *this;
}

ConfigSchema::Field& ConfigSchema::Field::choices(std::vector<std::string> a) {
  allowed = std::move(a);
  return *this;
}

ConfigSchema::ConfigSchema() = default;
ConfigSchema::~ConfigSchema() = default;
ConfigSchema::ConfigSchema(ConfigSchema&&) noexcept = default;
ConfigSchema& ConfigSchema::operator=(ConfigSchema&&) noexcept = default;

static std::string value_text(ConfigSchema::Type t, const void* dst) {
  using T = ConfigSchema::Type;
  switch (t) {
    case T::Int: return std::to_string(*static_cast<const int64_t*>(dst));
    case T::Double: return fmt_double(*static_cast<const double*>(dst));
    case T::Bool: return *static_cast<const bool*>(dst) ? "true" : "false";
    case T::String: return yaml_quote(*static_cast<const std::string*>(dst));
    case T::StringList: {
      std::string s = "[";
      for (const auto& v : *static_cast<const std::vector<std::string>*>(dst))
        s += (s.size() > 1 ? ", " : "") + yaml_quote(v);
      return s + "]";
    }
    case T::DoubleList: {
      std::string s = "[";
      for (double v : *static_cast<const std::vector<double>*>(dst))
        s += (s.size() > 1 ? ", " : "") + fmt_double(v);
      return s + "]";
    }
  }
  return "";
}

ConfigSchema::Field& ConfigSchema::add_field(const std::string& key, Type t, void* dst,
                                             const std::string& doc) {
  auto f = std::make_unique<Field>();
  f->key = key;
  f->type = t;
  f->dst = dst;
  f->doc = doc;
  fields_.push_back(std::move(f));
  return *fields_.back();
}

ConfigSchema::Field& ConfigSchema::add(const std::string& key, int64_t* dst, const std::string& doc) {
  Field& f = add_field(key, Type::Int, dst, doc);
  f.default_text = value_text(Type::Int, dst);
  return f;
}
ConfigSchema::Field& ConfigSchema::add(const std::string& key, int* dst, const std::string& doc) {
  Field& f = add_field(key, Type::Int, dst, doc);
  f.default_text = std::to_string(*dst);
  f.int32 = true;  // values past the int range are rejected, never truncated
  return f;
}
ConfigSchema::Field& ConfigSchema::add(const std::string& key, double* dst, const std::string& doc) {
  Field& f = add_field(key, Type::Double, dst, doc);
  f.default_text = value_text(Type::Double, dst);
  return f;
}
ConfigSchema::Field& ConfigSchema::add(const std::string& key, bool* dst, const std::string& doc) {
  Field& f = add_field(key, Type::Bool, dst, doc);
  f.default_text = value_text(Type::Bool, dst);
  return f;
}
ConfigSchema::Field& ConfigSchema::add(const std::string& key, std::string* dst,
                                       const std::string& doc) {
  Field& f = add_field(key, Type::String, dst, doc);
  f.default_text = value_text(Type::String, dst);
  return f;
}
ConfigSchema::Field& ConfigSchema::add(const std::string& key, std::vector<std::string>* dst,
                                       const std::string& doc) {
  Field& f = add_field(key, Type::StringList, dst, doc);
  f.default_text = value_text(Type::StringList, dst);
  return f;
}
ConfigSchema::Field& ConfigSchema::add(const std::string& key, std::vector<double>* dst,
                                       const std::string& doc) {
  Field& f = add_field(key, Type::DoubleList, dst, doc);
  f.default_text = value_text(Type::DoubleList, dst);
  return f;
}

bool ConfigSchema::has(const std::string& key) const {
  for (const auto& f : fields_)
    if (f->key == key) return true;
  return false;
}

namespace {

// Parses one scalar node into the field's storage, or says why not.
std::string assign(ConfigSchema::Type type, void* dst, bool int32, const YAML::Node& node,
                   bool has_range, double lo, double hi, const std::vector<std::string>& allowed) {
  using T = ConfigSchema::Type;
  auto got = [&]() {
    if (node.IsScalar()) return "'" + node.Scalar() + "'";
    return std::string(node.IsMap() ? "a mapping" : node.IsSequence() ? "a list" : "nothing");
  };
  auto check_range = [&](double v) -> std::string {
    if (!has_range) return "";
    if (v < lo) return fmt_double(v) + " is below the minimum " + fmt_double(lo);
    if (v > hi) return fmt_double(v) + " is above the maximum " + fmt_double(hi);
    return "";
  };
  try {
    switch (type) {
      case T::Int: {
        if (!node.IsScalar()) return "expected an integer, got " + got();
        int64_t v = node.as<int64_t>();
        if (int32 && (v < INT32_MIN || v > INT32_MAX)) return "expected a 32-bit integer, got " + got();
        if (auto e = check_range(static_cast<double>(v)); !e.empty()) return e;
        if (int32) *static_cast<int*>(dst) = static_cast<int>(v);
        else *static_cast<int64_t*>(dst) = v;
        return "";
      }
      case T::Double: {
        if (!node.IsScalar()) return "expected a number, got " + got();
        double v = node.as<double>();
        if (!std::isfinite(v)) return "expected a finite number, got " + got();
        if (auto e = check_range(v); !e.empty()) return e;
        *static_cast<double*>(dst) = v;
        return "";
      }
      case T::Bool:
        if (!node.IsScalar()) return "expected true or false, got " + got();
        *static_cast<bool*>(dst) = node.as<bool>();
        return "";
      case T::String: {
        if (!node.IsScalar()) return "expected a string, got " + got();
        std::string v = node.Scalar();
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
          std::string list;
          for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
          return "'" + v + "' is not one of: " + list;
        }
        *static_cast<std::string*>(dst) = v;
        return "";
      }
      case T::StringList: {
        if (!node.IsSequence()) return "expected a list of strings, got " + got();
        std::vector<std::string> v;
        for (const auto& item : node) {
          if (!item.IsScalar()) return "expected a list of strings, an item is not a string";
          v.push_back(item.Scalar());
        }
        *static_cast<std::vector<std::string>*>(dst) = v;
        return "";
      }
      case T::DoubleList: {
        if (!node.IsSequence()) return "expected a list of numbers, got " + got();
        std::vector<double> v;
        for (const auto& item : node) {
          if (!item.IsScalar()) return "expected a list of numbers, an item is not a number";
          double d = item.as<double>();
          if (auto e = check_range(d); !e.empty()) return e;
          v.push_back(d);
        }
        *static_cast<std::vector<double>*>(dst) = v;
        return "";
      }
    }
  } catch (const YAML::Exception&) {
    std::string t = type_name(type);
    return std::string(t[0] == 'i' ? "expected an " : "expected a ") + t + ", got " + got();
  }
  return "unsupported type";
}

}  // namespace

static std::string location(const std::string& source, const YAML::Mark& m) {
  if (m.line < 0) return source + ": ";
  return source + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
}

Status ConfigSchema::load_text(const std::string& text, const std::string& source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return Error(source_name + ":" + std::to_string(e.mark.line + 1) + ":" +
                 std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) return {};
  if (!root.IsMap()) return Error(source_name + ": the top level must be a mapping of keys");

  // Walk the mapping; leaves are matched against declared keys.
  struct Item {
    YAML::Node key, value;
    std::string prefix;
  };
  std::vector<Item> stack;
  for (auto it = root.begin(); it != root.end(); ++it) stack.push_back({it->first, it->second, ""});
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    std::string key = item.prefix + item.key.Scalar();
    const Field* field = nullptr;
    bool is_section = false;
    for (const auto& f : fields_) {
      if (f->key == key) field = f.get();
      if (f->key.rfind(key + ".", 0) == 0) is_section = true;
    }
    if (field) {
      std::string why = assign(field->type, field->dst, field->int32, item.value,
                               field->has_range, field->lo, field->hi, field->allowed);
      if (!why.empty()) return Error(location(source_name, item.value.Mark()) + key + ": " + why);
      continue;
    }
    if (is_section) {
      if (!item.value.IsMap())
        return Error(location(source_name, item.value.Mark()) + key + ": expected a mapping of keys (a section)");
      for (auto it = item.value.begin(); it != item.value.end(); ++it)
        stack.push_back({it->first, it->second, key + "."});
      continue;
    }
    std::string best;
    size_t best_d = 4;
    for (const auto& f : fields_) {
      size_t d = edit_distance(key, f->key);
      if (d < best_d) best_d = d, best = f->key;
    }
    return Error(location(source_name, item.key.Mark()) + "unknown key '" + key + "'" +
                 (best.empty() ? "" : " (did you mean '" + best + "'?)"));
  }
  return {};
}

Status ConfigSchema::load_file(const std::string& path) {
  Expected<std::string> text = read_file(path);
  if (!text) return Error("reading config: " + text.error());
  return load_text(*text, path);
}

Status ConfigSchema::set(const std::string& assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    return Error("--set " + assignment + ": expected KEY=VALUE, for example model.layers=4");
  std::string key = assignment.substr(0, eq);
  std::string value = assignment.substr(eq + 1);
  // Rebuild as nested YAML so set() shares load_text's checks.
  std::string yaml, indent;
  size_t start = 0;
  for (;;) {
    size_t dot = key.find('.', start);
    std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    yaml += indent + part + ":";
    if (dot == std::string::npos) break;
    yaml += "\n";
    indent += "  ";
    start = dot + 1;
  }
  yaml += " " + value + "\n";
  return load_text(yaml, "--set " + key);
}

std::string ConfigSchema::dump_yaml() const {
  std::vector<const Field*> sorted;
  for (const auto& f : fields_) sorted.push_back(f.get());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Field* a, const Field* b) { return a->key < b->key; });
  std::string out;
  std::vector<std::string> open;  // the section path currently printed
  for (const Field* f : sorted) {
    std::vector<std::string> parts;
    size_t start = 0, dot;
    while ((dot = f->key.find('.', start)) != std::string::npos) {
      parts.push_back(f->key.substr(start, dot - start));
      start = dot + 1;
    }
    std::string leaf = f->key.substr(start);
    size_t common = 0;
    while (common < open.size() && common < parts.size() && open[common] == parts[common]) ++common;
    open.resize(common);
    for (size_t i = common; i < parts.size(); ++i) {
      out += std::string(2 * i, ' ') + parts[i] + ":\n";
      open.push_back(parts[i]);
    }
    std::string v = f->int32 ? std::to_string(*static_cast<const int*>(f->dst)) : value_text(f->type, f->dst);
    out += std::string(2 * parts.size(), ' ') + leaf + ": " + v + "\n";
  }
  return out;
}

std::string ConfigSchema::reference_markdown() const {
  std::string out = "| key | type | default | meaning |\n|---|---|---|---|\n";
  for (const auto& f : fields_) {
    std::string type = type_name(f->type);
    if (f->has_range) type += " in [" + fmt_double(f->lo) + ", " + fmt_double(f->hi) + "]";
    if (!f->allowed.empty()) {
      type = "one of";
      for (const auto& a : f->allowed) type += " `" + a + "`";
    }
    out += "| `" + f->key + "` | " + type + " | `" + f->default_text + "` | " + f->doc + " |\n";
  }
  return out;
}

}  // namespace stepcoder
