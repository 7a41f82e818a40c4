// Pieces shared by the suite generator's files: C++ literals for expected values, a code
// writer that keeps the suite's one style (4-space indent, braces on the same line), and
// problem assembly for function-level and stdin/stdout tasks.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tasks/gen/predicates.h"
#include "tasks/problem.h"
#include "tasks/rng.h"
#include "util/expected.h"

namespace stepcoder::tasks::gen {

// An expected result, rendered as a C++ literal for asserts or as text for io tests.
struct Value {
  enum class Type { Int, Bool, Str, Vec } type = Type::Int;
  long long i = 0;
  bool b = false;
  std::string s;
  std::vector<long long> v;

  static Value of_int(long long x);
  static Value of_bool(bool x);
  static Value of_str(std::string x);
  static Value of_vec(std::vector<long long> x);
  std::string cpp() const;    // 3, true, "abc", vector<int>{1, 2}
  std::string text() const;   // 3, YES, abc, 1 2
  bool operator==(const Value& o) const;
};

std::string cpp_string(const std::string& s);          // "a\"b" with escapes
std::string cpp_vector(const std::vector<long long>& v);  // {1, 2, 3}

// Body lines of a solution, indented by depth (4 spaces a level).
class CodeWriter {
 public:
  void line(const std::string& s) { out_ += std::string(4 * depth_, ' ') + s + "\n"; }
  void open(const std::string& s) {
    line(s);
    ++depth_;
  }
  void close(const std::string& s = "}") {
    --depth_;
    line(s);
  }
  // "} else {" and the like: closes one block and opens the next at the same depth.
  void reopen(const std::string& s) {
    --depth_;
    open(s);
  }
  // The completion: body lines and the function's closing brace.
  std::string finish() const { return out_ + "}\n"; }

 private:
  std::string out_;
  int depth_ = 1;
};

constexpr const char* kHeader = "#include <bits/stdc++.h>\nusing namespace std;\n\n";

// "// text" lines for a description.
std::string comment(const std::vector<std::string>& sentences);

// One assert-style case: arguments as C++ text ("{1, 2}, 3") and the expected value.
struct Call {
  std::string args;
  Value expected;
};
// A function-level problem: prompt = header + description + signature line.
Problem function_problem(const std::string& family, const std::string& name,
                         const std::string& signature, const std::vector<std::string>& description,
                         const std::string& body, const std::vector<Call>& calls);
// A stdin/stdout program: prompt = header + description + "int main() {".
Problem io_problem(const std::string& family, const std::string& name,
                   const std::vector<std::string>& description, const std::string& body,
                   const std::vector<sandbox::IoCase>& cases);

// One compositional task: a loop over some values (setting), an operation and a predicate.
struct Combo {
  std::string setting;  // array, io, range, digits, divisors, string
  std::string op;       // sum, count, max, min, any, all, first_index, filter, remove, ...
  Pred pred;
  char replacement = '*';  // for the string "replace" operation
};
std::vector<std::string> settings();
std::vector<std::string> ops_of(const std::string& setting);
bool op_accepts(const std::string& setting, const std::string& op, const Pred& pred);
std::string family_of(const Combo& c);
std::string combo_name(const Combo& c);  // the function name ("sum_divisible_by_3")
Problem build_combo(const Combo& c, Rng& rng);

// Writes DIR/NAME for each (NAME, problems), creating DIR; `what` names the suite in errors.
using SplitFiles = std::vector<std::pair<std::string, const std::vector<Problem>*>>;
Status write_split_files(const std::string& dir, const SplitFiles& files, const std::string& what);

// Families with fixed structure (number theory, sequences, sorting, strings, simulations).
std::vector<Problem> fixed_problems(Rng& rng);

}  // namespace stepcoder::tasks::gen
