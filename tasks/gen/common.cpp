// Shared pieces of the suite generator: literals, comments and problem assembly.
// See gen_internal.h.
#include "tasks/gen/internal.h"

#include "tasks/problem_io.h"
#include "util/files.h"

namespace stepcoder::tasks::gen {

Value Value::of_int(long long x) {
  Value v;
  v.type = Type::Int;
  v.i = x;
  return v;
}

Value Value::of_bool(bool x) {
  Value v;
  v.type = Type::Bool;
  v.b = x;
  return v;
}

Value Value::of_str(std::string x) {
  Value v;
  v.type = Type::Str;
  v.s = std::move(x);
  return v;
}

Value Value::of_vec(std::vector<long long> x) {
  Value v;
  v.type = Type::Vec;
  v.v = std::move(x);
  return v;
}

std::string cpp_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string cpp_vector(const std::vector<long long>& v) {
  std::string out = "{";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(v[i]);
  }
  return out + "}";
}

std::string Value::cpp() const {
  switch (type) {
    case Type::Int: return std::to_string(i);
    case Type::Bool: return b ? "true" : "false";
    case Type::Str: return cpp_string(s);
    case Type::Vec: return "vector<int>" + cpp_vector(v);
  }
  return "";
}

std::string Value::text() const {
  switch (type) {
    case Type::Int: return std::to_string(i);
    case Type::Bool: return b ? "YES" : "NO";
    case Type::Str: return s;
    case Type::Vec: {
      std::string out;
      for (size_t k = 0; k < v.size(); ++k) out += (k ? " " : "") + std::to_string(v[k]);
      return out;
    }
  }
  return "";
}

bool Value::operator==(const Value& o) const {
  return type == o.type && i == o.i && b == o.b && s == o.s && v == o.v;
}

std::string comment(const std::vector<std::string>& sentences) {
  std::string out;
  for (const std::string& s : sentences) out += "// " + s + "\n";
  return out;
}

Problem function_problem(const std::string& family, const std::string& name,
                         const std::string& signature, const std::vector<std::string>& description,
                         const std::string& body, const std::vector<Call>& calls) {
  Problem p;
  p.task_id = family + "/" + name;
  p.family = family;
  p.entry_point = name;
  p.prompt = std::string(kHeader) + comment(description) + signature + " {\n";
  p.canonical_solution = body;
  p.tests.kind = sandbox::Tests::Kind::Assert;
  std::string code = "int main() {\n";
  for (const Call& c : calls) {
    code += "    assert(" + name + "(" + c.args + ") == " + c.expected.cpp() + ");\n";
  }
  p.tests.code = code + "    return 0;\n}\n";
  return p;
}

Status write_split_files(const std::string& dir, const SplitFiles& files, const std::string& what) {
  if (Status st = make_dirs(dir); !st) return Error("writing " + what + ": " + st.error());
  for (const auto& [name, problems] : files)
    if (Status st = write_problems(dir + "/" + name, *problems); !st) return st;
  return {};
}

Problem io_problem(const std::string& family, const std::string& name,
                   const std::vector<std::string>& description, const std::string& body,
                   const std::vector<sandbox::IoCase>& cases) {
  Problem p;
  p.task_id = family + "/" + name;
  p.family = family;
  p.prompt = std::string(kHeader) + comment(description) + "int main() {\n";
  p.canonical_solution = body;
  p.tests.kind = sandbox::Tests::Kind::Io;
  p.tests.cases = cases;
  return p;
}

}  // namespace stepcoder::tasks::gen
