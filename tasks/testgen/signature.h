// Function signatures mined with Clang libTooling, for unit-test generation: parameter and
// return types reduced to what test inputs can be generated for (integers, floating point,
// bool, char, std::string, std::vector of those, nested vectors).
//
//   auto sigs = mine_signatures({"int f(vector<int> a, string s)"});
//   if (sigs && (*sigs)[0].supported()) use((*sigs)[0].params[0].type.spelling);  // "vector<int>"
#pragma once

#include <string>
#include <vector>

#include "tasks/entry_point.h"
#include "util/expected.h"

namespace stepcoder::tasks {

struct TypeSpec {
  enum class Kind { Int, Float, Bool, Char, String, Vector, Unsupported };
  Kind kind = Kind::Unsupported;
  std::string spelling;        // how generated code writes it: "long long", "vector<string>"
  bool is_unsigned = false;    // Int
  std::vector<TypeSpec> elem;  // Vector: the element type
};

struct ParamSpec {
  std::string name;
  TypeSpec type;
  bool mutable_ref = false;  // T& (not const): arguments must be variables
};

struct Signature {
  std::string name;
  TypeSpec ret;
  std::vector<ParamSpec> params;
  std::string unsupported;  // why no tests can be generated ("parameter m: map<int,int>"), or ""
  bool supported() const { return unsupported.empty(); }
};

// Parses all declarations in one translation unit with <bits/stdc++.h> (one parse, not one per
// function), each in a namespace of its own. Declarations that do not parse come back
// unsupported; an error means Clang could not run at all.
Expected<std::vector<Signature>> mine_signatures(const std::vector<std::string>& declarations);

}  // namespace stepcoder::tasks
