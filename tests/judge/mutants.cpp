// Mutation operators for wrong-variant tests: see mutants.h.
#include "tests/judge/mutants.h"

#include <regex>
#include <utility>
#include <vector>

namespace stepcoder::testing_support {

std::optional<Mutant> mutate(const std::string& s) {
  // (pattern, replacement): spaced or digit-adjacent forms, so templates (vector<int>) and
  // stream operators (<<) are left alone.
  static const std::vector<std::pair<std::regex, std::string>> kOps = {
      {std::regex(R"(return true;)"), "return false;"},
      {std::regex(R"(return false;)"), "return true;"},
      {std::regex(R"(==)"), "!="},
      {std::regex(R"(!=)"), "=="},
      {std::regex(R"(<=)"), "<"},
      {std::regex(R"(>=)"), ">"},
      {std::regex(R"(([^<])<([^<=]))"), "$1<=$2"},
      {std::regex(R"(([^>-])>([^>=]))"), "$1>=$2"},
      {std::regex(R"(\+1\b)"), "+2"},
      {std::regex(R"(-1\b)"), "+1"},
      {std::regex(R"(&&)"), "||"},
      {std::regex(R"(\+=)"), "-="},
  };
  for (const auto& [re, rep] : kOps) {
    std::smatch m;
    // Skip the leading declarations (#include, using): mutate inside the code.
    if (!std::regex_search(s, m, re)) continue;
    std::string out = s.substr(0, m.position(0)) +
                      std::regex_replace(m.str(0), re, rep) +
                      s.substr(m.position(0) + m.length(0));
    if (out == s) continue;
    return Mutant{out, "'" + m.str(0) + "' -> '" + std::regex_replace(m.str(0), re, rep) +
                           "' at byte " + std::to_string(m.position(0))};
  }
  return std::nullopt;
}

}  // namespace stepcoder::testing_support
