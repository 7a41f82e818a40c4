// The predicate table of the generated suite: see gen_predicates.h.
#include "tasks/gen/predicates.h"

#include <cctype>
#include <cstdlib>

namespace stepcoder::tasks {

namespace {

using Params = std::vector<int>;

struct Kind {
  const char* name;
  bool is_char;
  int nparams;
  bool nonneg;         // meaning assumes values >= 0
  bool wants_negative;
  const char* code;    // {v} is the variable, {0} {1} the parameters
  const char* slug;
  std::vector<const char*> plural;
  std::vector<const char*> singular;
  bool (*eval)(long long v, const Params& p);
};

bool is_vowel(long long c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

const std::vector<Kind>& table() {
  static const std::vector<Kind> kinds = {
      {"even", false, 0, false, false, "{v} % 2 == 0", "even", {"are even", "are even numbers"},
       {"is even", "is an even number"}, [](long long v, const Params&) { return v % 2 == 0; }},
      {"odd", false, 0, false, false, "{v} % 2 != 0", "odd", {"are odd", "are odd numbers"},
       {"is odd", "is an odd number"}, [](long long v, const Params&) { return v % 2 != 0; }},
      {"positive", false, 0, false, true, "{v} > 0", "positive", {"are positive"},
       {"is positive"}, [](long long v, const Params&) { return v > 0; }},
      {"negative", false, 0, false, true, "{v} < 0", "negative", {"are negative"},
       {"is negative"}, [](long long v, const Params&) { return v < 0; }},
      {"greater", false, 1, false, false, "{v} > {0}", "greater_than_{0}",
       {"are greater than {0}", "are larger than {0}", "exceed {0}"},
       {"is greater than {0}", "is larger than {0}", "exceeds {0}"},
       [](long long v, const Params& p) { return v > p[0]; }},
      {"less", false, 1, false, false, "{v} < {0}", "less_than_{0}",
       {"are less than {0}", "are smaller than {0}"}, {"is less than {0}", "is smaller than {0}"},
       [](long long v, const Params& p) { return v < p[0]; }},
      {"at_least", false, 1, false, false, "{v} >= {0}", "at_least_{0}",
       {"are at least {0}", "are greater than or equal to {0}"},
       {"is at least {0}", "is greater than or equal to {0}"},
       [](long long v, const Params& p) { return v >= p[0]; }},
      {"at_most", false, 1, false, false, "{v} <= {0}", "at_most_{0}",
       {"are at most {0}", "are less than or equal to {0}"},
       {"is at most {0}", "is less than or equal to {0}"},
       [](long long v, const Params& p) { return v <= p[0]; }},
      {"equal", false, 1, false, false, "{v} == {0}", "equal_to_{0}", {"are equal to {0}"},
       {"is equal to {0}"}, [](long long v, const Params& p) { return v == p[0]; }},
      {"not_equal", false, 1, false, false, "{v} != {0}", "not_equal_to_{0}",
       {"are not equal to {0}", "differ from {0}"}, {"is not equal to {0}", "differs from {0}"},
       [](long long v, const Params& p) { return v != p[0]; }},
      {"divisible", false, 1, false, false, "{v} % {0} == 0", "divisible_by_{0}",
       {"are divisible by {0}", "are multiples of {0}"},
       {"is divisible by {0}", "is a multiple of {0}"},
       [](long long v, const Params& p) { return v % p[0] == 0; }},
      {"not_divisible", false, 1, false, false, "{v} % {0} != 0", "not_divisible_by_{0}",
       {"are not divisible by {0}", "are not multiples of {0}"},
       {"is not divisible by {0}", "is not a multiple of {0}"},
       [](long long v, const Params& p) { return v % p[0] != 0; }},
      {"ends_in", false, 1, true, false, "{v} % 10 == {0}", "ending_in_{0}",
       {"end in the digit {0}", "have last digit {0}"},
       {"ends in the digit {0}", "has last digit {0}"},
       [](long long v, const Params& p) { return v % 10 == p[0]; }},
      {"between", false, 2, false, false, "{v} >= {0} && {v} <= {1}", "between_{0}_and_{1}",
       {"are between {0} and {1} inclusive", "lie in the range from {0} to {1}"},
       {"is between {0} and {1} inclusive", "lies in the range from {0} to {1}"},
       [](long long v, const Params& p) { return v >= p[0] && v <= p[1]; }},
      {"remainder", false, 2, true, false, "{v} % {1} == {0}", "remainder_{0}_mod_{1}",
       {"leave remainder {0} when divided by {1}", "have remainder {0} modulo {1}"},
       {"leaves remainder {0} when divided by {1}", "has remainder {0} modulo {1}"},
       [](long long v, const Params& p) { return v % p[1] == p[0]; }},
      {"vowel", true, 0, false, false, "string(\"aeiou\").find({v}) != string::npos", "vowel",
       {"are vowels", "are lowercase vowels"}, {"is a vowel", "is a lowercase vowel"},
       [](long long v, const Params&) { return is_vowel(v); }},
      {"upper", true, 0, false, false, "isupper({v})", "upper",
       {"are uppercase letters", "are capital letters"},
       {"is an uppercase letter", "is a capital letter"},
       [](long long v, const Params&) { return std::isupper(static_cast<int>(v)) != 0; }},
      {"lower", true, 0, false, false, "islower({v})", "lower", {"are lowercase letters"},
       {"is a lowercase letter"},
       [](long long v, const Params&) { return std::islower(static_cast<int>(v)) != 0; }},
      {"digit", true, 0, false, false, "isdigit({v})", "digit", {"are digits", "are decimal digits"},
       {"is a digit", "is a decimal digit"},
       [](long long v, const Params&) { return std::isdigit(static_cast<int>(v)) != 0; }},
      {"letter", true, 0, false, false, "isalpha({v})", "letter", {"are letters"}, {"is a letter"},
       [](long long v, const Params&) { return std::isalpha(static_cast<int>(v)) != 0; }},
      {"space", true, 0, false, false, "{v} == ' '", "space", {"are spaces"}, {"is a space"},
       [](long long v, const Params&) { return v == ' '; }},
      {"char", true, 1, false, false, "{v} == '{0}'", "char_{0}",
       {"are the letter '{0}'", "are equal to '{0}'"}, {"is the letter '{0}'", "is equal to '{0}'"},
       [](long long v, const Params& p) { return v == p[0]; }},
      {"not_char", true, 1, false, false, "{v} != '{0}'", "not_char_{0}",
       {"are not the letter '{0}'", "differ from '{0}'"},
       {"is not the letter '{0}'", "differs from '{0}'"},
       [](long long v, const Params& p) { return v != p[0]; }},
      {"after", true, 1, false, false, "{v} > '{0}'", "after_{0}",
       {"come after '{0}' in the alphabet", "are greater than '{0}'"},
       {"comes after '{0}' in the alphabet", "is greater than '{0}'"},
       [](long long v, const Params& p) { return v > p[0]; }},
      {"char_between", true, 2, false, false, "{v} >= '{0}' && {v} <= '{1}'",
       "between_{0}_and_{1}",
       {"are between '{0}' and '{1}' inclusive", "lie in the range '{0}' to '{1}'"},
       {"is between '{0}' and '{1}' inclusive", "lies in the range '{0}' to '{1}'"},
       [](long long v, const Params& p) { return v >= p[0] && v <= p[1]; }},
  };
  return kinds;
}

const Kind* find_kind(const std::string& name) {
  for (const Kind& k : table()) {
    if (name == k.name) return &k;
  }
  return nullptr;
}

const Kind& kind_of(const Pred& p) {
  const Kind* k = find_kind(p.kind);
  if (!k) std::abort();  // predicates are built from the table only
  return *k;
}

std::string fill(const std::string& tmpl, const std::string& var, const Pred& p, bool chars) {
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 2] == '}') {
      char c = tmpl[i + 1];
      if (c == 'v') {
        out += var;
      } else {
        int value = p.params[static_cast<size_t>(c - '0')];
        out += chars ? std::string(1, static_cast<char>(value)) : std::to_string(value);
      }
      i += 2;
      continue;
    }
    out += tmpl[i];
  }
  return out;
}

}  // namespace

Pred make_pred(const std::string& kind, std::vector<int> params) {
  Pred p;
  p.kind = kind;
  p.params = std::move(params);
  return p;
}

Pred make_and(Pred a, Pred b) {
  Pred p;
  p.kind = "and";
  p.parts = {std::move(a), std::move(b)};
  return p;
}

std::vector<std::string> pred_kinds(bool characters) {
  std::vector<std::string> out;
  for (const Kind& k : table()) {
    if (k.is_char == characters) out.push_back(k.name);
  }
  return out;
}

int pred_param_count(const std::string& kind) {
  const Kind* k = find_kind(kind);
  return k ? k->nparams : 0;
}

bool Pred::is_char() const {
  if (kind == "none") return false;
  if (kind == "and") return parts[0].is_char();
  return kind_of(*this).is_char;
}

bool Pred::nonneg_only() const {
  if (kind == "none") return false;
  if (kind == "and") return parts[0].nonneg_only() || parts[1].nonneg_only();
  return kind_of(*this).nonneg;
}

bool Pred::wants_negative() const {
  if (kind == "none") return false;
  if (kind == "and") return parts[0].wants_negative() || parts[1].wants_negative();
  return kind_of(*this).wants_negative;
}

int Pred::literal_count() const {
  if (kind == "none") return 0;
  if (kind == "and") return parts[0].literal_count() + parts[1].literal_count();
  return static_cast<int>(params.size());
}

std::string Pred::code(const std::string& var) const {
  if (kind == "none") return "";
  if (kind == "and") return parts[0].code(var) + " && " + parts[1].code(var);
  const Kind& k = kind_of(*this);
  return fill(k.code, var, *this, k.is_char);
}

bool Pred::eval(long long v) const {
  if (kind == "none") return true;
  if (kind == "and") return parts[0].eval(v) && parts[1].eval(v);
  return kind_of(*this).eval(v, params);
}

std::string Pred::slug() const {
  if (kind == "none") return "";
  if (kind == "and") return parts[0].slug() + "_and_" + parts[1].slug();
  const Kind& k = kind_of(*this);
  return fill(k.slug, "", *this, k.is_char);
}

int Pred::phrase_variants() const {
  if (kind == "none") return 1;
  if (kind == "and") return parts[0].phrase_variants() * parts[1].phrase_variants();
  return static_cast<int>(kind_of(*this).plural.size());
}

std::string Pred::phrase(bool plural, int variant) const {
  if (kind == "none") return "";
  if (kind == "and") {
    int n0 = parts[0].phrase_variants();
    return parts[0].phrase(plural, variant % n0) + " and " +
           parts[1].phrase(plural, variant / n0);
  }
  const Kind& k = kind_of(*this);
  const auto& forms = plural ? k.plural : k.singular;
  return fill(forms[static_cast<size_t>(variant) % forms.size()], "", *this, k.is_char);
}

std::string Pred::kind_key() const {
  if (kind == "and") return "and(" + parts[0].kind + "," + parts[1].kind + ")";
  return kind;
}

}  // namespace stepcoder::tasks
