// Typed YAML configuration from a declared schema. Each subsystem declares its keys once
// (type, default, range, meaning); loading rejects unknown keys, wrong types and
// out-of-range values with the file, line and key, and the same declarations print the
// resolved config and the Markdown reference, so documentation cannot drift from code.
//
//   SandboxConfig cfg;                      // defaults live in the struct
//   ConfigSchema schema;
//   schema.add("sandbox.time_limit_ms", &cfg.time_limit_ms, "CPU time per test").range(1, 60000);
//   if (Status st = schema.load_file("run.yaml"); !st) die(st.error());
//   // "run.yaml:4:3: sandbox.time_limit_ms: 0 is below the minimum 1"
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/expected.h"

namespace stepcoder {

class ConfigSchema {
 public:
  enum class Type { Int, Double, Bool, String, StringList, DoubleList };

  // A declared key; the builder methods refine it.
  class Field {
   public:
    Field& range(double lo, double hi);
    Field& choices(std::vector<std::string> allowed);

   private:
    friend class ConfigSchema;
    std::string key, doc, default_text;
    Type type = Type::Int;
    void* dst = nullptr;
    bool int32 = false;  // stored in an int, not an int64_t
    bool has_range = false;
    double lo = 0, hi = 0;
    std::vector<std::string> allowed;
  };

  ConfigSchema();
  ~ConfigSchema();
  ConfigSchema(ConfigSchema&&) noexcept;
  ConfigSchema& operator=(ConfigSchema&&) noexcept;

  // The value held by *dst when add() is called is the key's default.
  Field& add(const std::string& key, int* dst, const std::string& doc);
  Field& add(const std::string& key, int64_t* dst, const std::string& doc);
  Field& add(const std::string& key, double* dst, const std::string& doc);
  Field& add(const std::string& key, bool* dst, const std::string& doc);
  Field& add(const std::string& key, std::string* dst, const std::string& doc);
  Field& add(const std::string& key, std::vector<std::string>* dst, const std::string& doc);
  Field& add(const std::string& key, std::vector<double>* dst, const std::string& doc);

  // Applies a YAML document on top of the current values.
  Status load_file(const std::string& path);
  Status load_text(const std::string& text, const std::string& source_name);
  // Command-line override "a.b.c=value" (value parsed as YAML).
  Status set(const std::string& assignment);

  bool has(const std::string& key) const;
  // Every key with its current value, as nested YAML.
  std::string dump_yaml() const;
  // A Markdown table: key, type, default, meaning.
  std::string reference_markdown() const;

 private:
  Field& add_field(const std::string& key, Type t, void* dst, const std::string& doc);
  std::vector<std::unique_ptr<Field>> fields_;
};

}  // namespace stepcoder
