// Values for unit-test generation: random and edge-case inputs per mined type (signature.h),
// their C++ literals, and the printer source that makes a reference solution print its results
// in a form parse_printed() reads back.
//
//   Rng rng(seed);
//   Value v = random_value(int_type, rng, /*edge=*/0);       // 0, 1, -1, ... then random
//   std::string lit = cpp_literal(v, type);                  // "vector<int>{1, -2}"
//   std::string src = printer_functions(ret_type);           // defines stepcoder_print_0(...)
//   auto back = parse_printed(payload, ret_type);            // Value, or an error
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tasks/rng.h"
#include "tasks/testgen/signature.h"
#include "util/expected.h"

namespace stepcoder::tasks {

struct Value {
  TypeSpec::Kind kind = TypeSpec::Kind::Int;
  int64_t i = 0;       // Int (signed), Bool (0/1), Char (-128..127)
  uint64_t u = 0;      // Int (unsigned types)
  double f = 0;        // Float
  std::string s;       // String
  std::vector<Value> items;  // Vector
  bool operator==(const Value& o) const;
  bool operator!=(const Value& o) const { return !(*this == o); }
};

// A value of `type`. `edge` >= 0 picks the edge-th edge case of the type (wrapping), -1 draws
// a random one. Vectors of vectors are mostly rectangular (matrices are common parameters).
Value make_value(const TypeSpec& type, Rng& rng, int edge);

// The C++ expression for `v` as a value of `type`: `vector<int>{1, -2}`, `string("a\"b")`,
// `'x'`, `2.5`, `3000000000LL`. Inside braces (nested = true) vectors and strings are written
// as bare brace lists and string literals.
std::string cpp_literal(const Value& v, const TypeSpec& type, bool nested = false);

// C++ source of printer functions for `type` and its element types; the one for `type` itself
// is named `stepcoder_print_0(std::string& out, const T& v)`. Output format (type-directed):
// integers and chars as decimal, bools 0/1, floating point %.17g, strings "LEN:bytes", vectors
// "LEN " then the elements; every item is followed by a space.
std::string printer_functions(const TypeSpec& type);

// Reads one value printed by printer_functions(); the whole payload must be consumed.
// Non-finite floating-point values are errors (no test can expect them).
Expected<Value> parse_printed(const std::string& payload, const TypeSpec& type);

// 64-bit FNV-1a, for per-task seeds that do not depend on the order of tasks.
uint64_t stable_hash(const std::string& text, uint64_t seed);

}  // namespace stepcoder::tasks
