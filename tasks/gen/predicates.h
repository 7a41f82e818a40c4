// Predicates of the generated suite ("even", "divisible by 3", "a vowel", "equal to 'e'"):
// one table row each gives the C++ condition over any loop variable, its meaning evaluated
// here in C++ (so expected test outputs never come from running the solution), a slug for
// function names and English phrases for descriptions.
#pragma once

#include <string>
#include <vector>

namespace stepcoder::tasks {

struct Pred {
  std::string kind = "none";  // a table name, "none" (no filter) or "and" (parts joined)
  std::vector<int> params;    // numbers, or character codes for character predicates
  std::vector<Pred> parts;    // the two sides of "and"

  bool none() const { return kind == "none"; }
  bool is_char() const;
  // Meaning assumes values >= 0 (e.g. "ends in the digit 7").
  bool nonneg_only() const;
  // Meaning needs negative values to be tested ("negative", "positive").
  bool wants_negative() const;
  // Literal parameters the solution must copy from the description.
  int literal_count() const;

  std::string code(const std::string& var) const;  // "a[i] % 3 == 0"
  bool eval(long long v) const;
  std::string slug() const;                        // "divisible_by_3"
  // "are divisible by 3" (plural) or "is divisible by 3"; variant picks a wording.
  std::string phrase(bool plural, int variant) const;
  int phrase_variants() const;
  // The kind, with "and" spelled as "and(even,greater_than)" for held-out bookkeeping.
  std::string kind_key() const;
};

Pred make_pred(const std::string& kind, std::vector<int> params = {});
Pred make_and(Pred a, Pred b);
// Every table kind that is numeric (is_char false) or character-valued.
std::vector<std::string> pred_kinds(bool characters);
int pred_param_count(const std::string& kind);

}  // namespace stepcoder::tasks
