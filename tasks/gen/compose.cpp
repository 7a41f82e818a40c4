// Compositional tasks of the generated suite: a loop over values (a vector, stdin numbers,
// 1..n, the digits or divisors of n, a string), an operation (sum, count, max, ...) and a
// predicate. Code, English description and expected outputs all come from the same three
// choices, so families share structure and held-out combinations are meaningful.
#include <algorithm>
#include <cctype>

#include "tasks/gen/internal.h"

namespace stepcoder::tasks::gen {

namespace {

bool in(const std::string& s, std::initializer_list<const char*> options) {
  for (const char* o : options) {
    if (s == o) return true;
  }
  return false;
}

// The variable the predicate reads in each setting.
std::string var_of(const std::string& setting) {
  if (setting == "array") return "a[i]";
  if (setting == "string") return "s[i]";
  if (setting == "io") return "x";
  if (setting == "range") return "i";
  return "d";  // digits, divisors
}

bool numeric_setting_allows(const std::string& setting, const std::string& kind) {
  if (in(setting, {"range", "divisors"})) {
    return !in(kind, {"positive", "negative", "equal", "not_equal"});
  }
  if (setting == "digits") return !in(kind, {"positive", "negative", "ends_in"});
  return true;
}

bool pred_allowed(const std::string& setting, const Pred& p) {
  if (p.kind == "and") return pred_allowed(setting, p.parts[0]) && pred_allowed(setting, p.parts[1]);
  return numeric_setting_allows(setting, p.kind);
}

}  // namespace

std::vector<std::string> settings() {
  return {"array", "io", "range", "digits", "divisors", "string"};
}

std::vector<std::string> ops_of(const std::string& setting) {
  if (setting == "array") return {"sum", "count", "max", "min", "any", "all", "first_index", "filter"};
  if (setting == "io" || setting == "digits") return {"sum", "count", "max", "min", "any", "all"};
  if (setting == "string") {
    return {"count", "remove", "keep", "replace", "upper", "any", "all", "first_index"};
  }
  return {"sum", "count", "max", "min"};  // range, divisors
}

bool op_accepts(const std::string& setting, const std::string& op, const Pred& pred) {
  if ((setting == "string") != pred.is_char()) return false;
  if (pred.none()) {
    if (setting == "digits" || setting == "divisors") return in(op, {"sum", "count", "max", "min"});
    if (setting == "range") return op == "sum";
    return in(op, {"sum", "max", "min"}) && setting != "string";
  }
  if (setting != "string" && !pred_allowed(setting, pred)) return false;
  if (in(op, {"max", "min"}) && pred.wants_negative()) return false;
  if (op == "upper" && in(pred.kind, {"upper", "digit", "space"})) return false;
  return true;
}

std::string family_of(const Combo& c) { return c.setting + "_" + c.op; }

std::string combo_name(const Combo& c) {
  std::string noun = in(c.setting, {"range", "digits", "divisors"}) ? c.setting : "";
  std::string name = c.op;
  if (!noun.empty()) name += "_" + noun;
  if (!c.pred.none()) {
    name += "_" + c.pred.slug();
  } else if (noun.empty()) {
    name += "_all";
  }
  return name;
}

namespace {

std::string signature(const Combo& c, const std::string& name) {
  std::string ret = "int";
  if (in(c.op, {"any", "all"})) ret = "bool";
  if (c.op == "filter") ret = "vector<int>";
  if (in(c.op, {"remove", "keep", "replace", "upper"})) ret = "string";
  std::string param = c.setting == "array" ? "vector<int> a" : c.setting == "string" ? "string s" : "int n";
  return ret + " " + name + "(" + param + ")";
}

// Opens the loop (and its per-iteration prelude); returns the statements closing it.
std::vector<std::string> open_loop(const std::string& setting, CodeWriter& w) {
  if (setting == "array") w.open("for (int i = 0; i < (int)a.size(); i++) {");
  if (setting == "string") w.open("for (int i = 0; i < (int)s.size(); i++) {");
  if (setting == "range") w.open("for (int i = 1; i <= n; i++) {");
  if (setting == "divisors") w.open("for (int d = 1; d <= n; d++) {");
  if (setting == "io") {
    w.open("for (int i = 0; i < n; i++) {");
    w.line("int x;");
    w.line("cin >> x;");
  }
  if (setting == "digits") {
    w.open("while (n > 0) {");
    w.line("int d = n % 10;");
    return {"n /= 10;"};
  }
  return {};
}

struct OpCode {
  std::vector<std::string> init;
  std::vector<std::string> hit;  // inside the condition; a trailing "{" / "}" nests
  std::vector<std::string> end;
  bool negate = false;           // the condition is !(P)
};

OpCode op_code(const Combo& c) {
  const std::string v = var_of(c.setting);
  const bool io = c.setting == "io";
  auto print = [&](const std::string& what) {
    return std::vector<std::string>{"cout << " + what + " << endl;", "return 0;"};
  };
  const std::string& op = c.op;
  if (op == "sum") return {{"int total = 0;"}, {"total += " + v + ";"}, io ? print("total") : std::vector<std::string>{"return total;"}};
  if (op == "count") return {{"int count = 0;"}, {"count++;"}, io ? print("count") : std::vector<std::string>{"return count;"}};
  if (op == "max") return {{"int best = -1;"}, {"best = max(best, " + v + ");"}, io ? print("best") : std::vector<std::string>{"return best;"}};
  if (op == "min") {
    return {{"int best = -1;"}, {"if (best == -1 || " + v + " < best) {", "best = " + v + ";", "}"},
            io ? print("best") : std::vector<std::string>{"return best;"}};
  }
  if (op == "any") return {{}, io ? print("\"YES\"") : std::vector<std::string>{"return true;"}, io ? print("\"NO\"") : std::vector<std::string>{"return false;"}};
  if (op == "all") return {{}, io ? print("\"NO\"") : std::vector<std::string>{"return false;"}, io ? print("\"YES\"") : std::vector<std::string>{"return true;"}, true};
  if (op == "first_index") return {{}, {"return i;"}, {"return -1;"}};
  if (op == "filter") return {{"vector<int> result;"}, {"result.push_back(" + v + ");"}, {"return result;"}};
  if (op == "remove") return {{"string result = \"\";"}, {"result += s[i];"}, {"return result;"}, true};
  if (op == "keep") return {{"string result = \"\";"}, {"result += s[i];"}, {"return result;"}};
  if (op == "replace") return {{}, {std::string("s[i] = '") + c.replacement + "';"}, {"return s;"}};
  return {{}, {"s[i] = toupper(s[i]);"}, {"return s;"}};  // upper
}

void emit_lines(const std::vector<std::string>& lines, CodeWriter& w) {
  for (const std::string& l : lines) {
    if (l == "}") {
      w.close();
    } else if (!l.empty() && l.back() == '{') {
      w.open(l);
    } else {
      w.line(l);
    }
  }
}

std::string solution(const Combo& c) {
  CodeWriter w;
  OpCode oc = op_code(c);
  if (c.setting == "io") {
    w.line("int n;");
    w.line("cin >> n;");
  }
  emit_lines(oc.init, w);
  std::vector<std::string> tail = open_loop(c.setting, w);
  std::string cond = c.pred.code(var_of(c.setting));
  if (!cond.empty() && oc.negate) cond = "!(" + cond + ")";
  if (c.setting == "divisors") cond = cond.empty() ? "n % d == 0" : "n % d == 0 && " + cond;
  if (cond.empty()) {
    emit_lines(oc.hit, w);
  } else {
    w.open("if (" + cond + ") {");
    emit_lines(oc.hit, w);
    w.close();
  }
  emit_lines(tail, w);
  w.close();
  emit_lines(oc.end, w);
  return w.finish();
}

// What the loop visits for one test input.
struct Input {
  std::vector<long long> items;  // array / io values
  long long n = 0;               // range, digits, divisors
  std::string s;                 // string
};

std::vector<long long> visited(const std::string& setting, const Input& input) {
  std::vector<long long> out;
  if (setting == "array" || setting == "io") return input.items;
  if (setting == "string") {
    for (char ch : input.s) out.push_back(ch);
  } else if (setting == "range") {
    for (long long i = 1; i <= input.n; ++i) out.push_back(i);
  } else if (setting == "digits") {
    for (long long n = input.n; n > 0; n /= 10) out.push_back(n % 10);
  } else {
    for (long long d = 1; d <= input.n; ++d) {
      if (input.n % d == 0) out.push_back(d);
    }
  }
  return out;
}

Value evaluate(const Combo& c, const Input& input) {
  std::vector<long long> vals = visited(c.setting, input);
  const std::string& op = c.op;
  long long acc = (op == "max" || op == "min") ? -1 : 0;
  std::vector<long long> kept;
  std::string str;
  for (size_t k = 0; k < vals.size(); ++k) {
    long long v = vals[k];
    bool p = c.pred.eval(v);
    if (op == "sum" && p) acc += v;
    if (op == "count" && p) ++acc;
    if (op == "max" && p) acc = std::max(acc, v);
    if (op == "min" && p && (acc == -1 || v < acc)) acc = v;
    if (op == "any" && p) return Value::of_bool(true);
    if (op == "all" && !p) return Value::of_bool(false);
    if (op == "first_index" && p) return Value::of_int(static_cast<long long>(k));
    if (op == "filter" && p) kept.push_back(v);
    char ch = static_cast<char>(v);
    if (op == "remove" && !p) str += ch;
    if (op == "keep" && p) str += ch;
    if (op == "replace") str += p ? c.replacement : ch;
    if (op == "upper") str += p ? static_cast<char>(std::toupper(ch)) : ch;
  }
  if (op == "any") return Value::of_bool(false);
  if (op == "all") return Value::of_bool(true);
  if (op == "first_index") return Value::of_int(-1);
  if (op == "filter") return Value::of_vec(kept);
  if (in(op, {"remove", "keep", "replace", "upper"})) return Value::of_str(str);
  return Value::of_int(acc);
}

}  // namespace

namespace {

const char* kLower = "abcdefghijklmnopqrstuvwxyz ";
const char* kMixed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";

// The pool test values are drawn from.
std::vector<long long> value_pool(const Combo& c) {
  std::vector<long long> pool;
  if (c.setting == "string") {
    bool mixed = in(c.pred.kind, {"upper", "lower", "digit", "letter"});
    for (const char* p = mixed ? kMixed : kLower; *p; ++p) pool.push_back(*p);
    return pool;
  }
  bool neg = !c.pred.nonneg_only() && !in(c.op, {"max", "min"});
  long long lo = c.setting == "digits" ? 0 : (neg ? -20 : 0);
  long long hi = c.setting == "digits" ? 9 : 40;
  for (long long v = lo; v <= hi; ++v) pool.push_back(v);
  return pool;
}

// Values of the pool that pass (want) or fail the predicate.
std::vector<long long> matching(const std::vector<long long>& pool, const Pred& p, bool want) {
  std::vector<long long> out;
  for (long long v : pool) {
    if (p.eval(v) == want) out.push_back(v);
  }
  return out;
}

std::vector<long long> draw(Rng& rng, const std::vector<long long>& yes,
                            const std::vector<long long>& no, int len, int yes_percent) {
  std::vector<long long> out;
  for (int k = 0; k < len; ++k) {
    bool want = no.empty() || (!yes.empty() && rng.chance(yes_percent));
    out.push_back(rng.pick(want ? yes : no));
  }
  return out;
}

// Sequences of visited values: empty, one passing, one failing, all passing, none passing,
// and mixes, so that every operation's edge cases are covered.
std::vector<std::vector<long long>> sequences(const Combo& c, Rng& rng) {
  std::vector<long long> pool = value_pool(c);
  std::vector<long long> yes = matching(pool, c.pred, true), no = matching(pool, c.pred, false);
  std::vector<std::vector<long long>> out = {{}};
  if (!yes.empty()) out.push_back({rng.pick(yes)});
  if (!no.empty()) out.push_back({rng.pick(no)});
  if (!yes.empty()) out.push_back(draw(rng, yes, {}, static_cast<int>(rng.uniform(3, 5)), 100));
  if (!no.empty()) out.push_back(draw(rng, {}, no, static_cast<int>(rng.uniform(3, 5)), 0));
  int max_len = c.setting == "string" ? 12 : 8;
  for (int k = 0; k < 3; ++k) {
    out.push_back(draw(rng, yes, no, static_cast<int>(rng.uniform(4, max_len)), 50));
  }
  return out;
}

std::vector<long long> numbers_for(const Combo& c, Rng& rng) {
  if (c.setting == "range") {
    return {0, 1, rng.uniform(2, 9), rng.uniform(10, 25), rng.uniform(26, 50), rng.uniform(26, 50)};
  }
  if (c.setting == "divisors") {
    static const std::vector<long long> primes = {13, 17, 19, 23, 29, 31, 37, 41, 43, 47};
    static const std::vector<long long> rich = {12, 24, 36, 48, 60, 72, 90, 96, 100, 120};
    return {1, rng.uniform(2, 10), rng.pick(primes), rng.pick(rich), rng.pick(rich),
            rng.uniform(50, 200), rng.uniform(50, 200)};
  }
  // digits: numbers built from digit sequences (most significant digit never 0)
  std::vector<long long> out;
  for (const auto& seq : sequences(c, rng)) {
    if (seq.empty()) continue;
    long long n = 0;
    for (size_t k = seq.size(); k-- > 0;) {
      long long d = seq[k];
      if (k + 1 == seq.size() && d == 0) d = rng.uniform(1, 9);
      n = n * 10 + d;
    }
    out.push_back(n);
  }
  out.push_back(rng.pick(std::vector<long long>{1005, 2020, 30007, 100, 909}));
  return out;
}

std::vector<Input> test_inputs(const Combo& c, Rng& rng) {
  std::vector<Input> out;
  if (in(c.setting, {"array", "io", "string"})) {
    for (auto& seq : sequences(c, rng)) {
      Input input;
      if (c.setting == "string") {
        for (long long ch : seq) input.s += static_cast<char>(ch);
      } else {
        input.items = seq;
      }
      out.push_back(std::move(input));
    }
  } else {
    for (long long n : numbers_for(c, rng)) {
      Input input;
      input.n = n;
      out.push_back(input);
    }
  }
  return out;
}

std::string args_text(const Combo& c, const Input& input) {
  if (c.setting == "array") return cpp_vector(input.items);
  if (c.setting == "string") return cpp_string(input.s);
  return std::to_string(input.n);
}

std::string stdin_text(const Input& input) {
  std::string s = std::to_string(input.items.size()) + "\n";
  for (size_t k = 0; k < input.items.size(); ++k) {
    s += (k ? " " : "") + std::to_string(input.items[k]);
  }
  return s + "\n";
}

}  // namespace

namespace {

std::string subst(std::string t, const std::string& key, const std::string& value) {
  for (size_t p = t.find(key); p != std::string::npos; p = t.find(key, p + value.size())) {
    t.replace(p, key.size(), value);
  }
  return t;
}

struct Nouns {
  std::vector<const char*> plural;  // {E}
  const char* one;                  // {e}
};

Nouns nouns_of(const std::string& setting) {
  if (setting == "array") return {{"the elements of a", "the numbers in a", "the values in a"}, "element of a"};
  if (setting == "io") return {{"the numbers", "the given numbers", "the values read"}, "number"};
  if (setting == "range") return {{"the integers from 1 to n", "the numbers from 1 to n inclusive"}, "integer from 1 to n"};
  if (setting == "digits") return {{"the digits of n", "the decimal digits of n"}, "digit of n"};
  if (setting == "divisors") return {{"the divisors of n", "the positive divisors of n"}, "divisor of n"};
  return {{"the characters of s", "the characters in s"}, "character of s"};
}

std::vector<const char*> op_templates(const std::string& op, bool io) {
  if (io) {
    if (op == "sum") return {"Print the sum of {E}{R}.", "Print the total of {E}{R}."};
    if (op == "count") return {"Print how many of {E} {P}.", "Print the number of {E}{R}."};
    if (op == "max") return {"Print the largest of {E}{R}, or -1 if there is none.", "Print the maximum of {E}{R}; print -1 if there is no such number."};
    if (op == "min") return {"Print the smallest of {E}{R}, or -1 if there is none.", "Print the minimum of {E}{R}; print -1 if there is no such number."};
    if (op == "any") return {"Print YES if any of {E} {P}, otherwise print NO.", "Print YES if at least one {e} {S}, and NO otherwise."};
    return {"Print YES if all of {E} {P}, otherwise print NO.", "Print YES if every {e} {S}, and NO otherwise."};
  }
  if (op == "sum") return {"Return the sum of {E}{R}.", "Add up {E}{R} and return the total.", "Compute the total of {E}{R}."};
  if (op == "count") return {"Return the number of {E}{R}.", "Count {E}{R}.", "Return how many of {E} {P}."};
  if (op == "max") return {"Return the largest of {E}{R}, or -1 if there is none.", "Find the maximum of {E}{R}. Return -1 if there is no such value."};
  if (op == "min") return {"Return the smallest of {E}{R}, or -1 if there is none.", "Find the minimum of {E}{R}. Return -1 if there is no such value."};
  if (op == "any") return {"Return true if any of {E} {P}.", "Check whether at least one {e} {S}.", "Return whether some {e} {S}."};
  if (op == "all") return {"Return true if all of {E} {P}.", "Check whether every {e} {S}.", "Return whether each {e} {S} (true when there are none)."};
  if (op == "first_index") return {"Return the index of the first {e} that {S}, or -1 if there is none.", "Find the position of the first {e} which {S}. Return -1 if there is none."};
  if (op == "filter") return {"Return {E}{R}, in their original order.", "Keep only {E}{R} and return them in order."};
  if (op == "remove") return {"Remove {E}{R} and return the resulting string.", "Return s without the characters that {P}."};
  if (op == "keep") return {"Return a string of only {E}{R}, in order.", "Keep {E}{R}, drop the rest, and return the result."};
  if (op == "replace") return {"Replace each of {E}{R} with '{c}' and return the result.", "Return s with every character that {S} changed to '{c}'."};
  return {"Convert {E}{R} to uppercase and return the string.", "Return s with every character that {S} made uppercase."};
}

std::vector<std::string> describe(const Combo& c, Rng& rng) {
  Nouns nouns = nouns_of(c.setting);
  int variant = static_cast<int>(rng.uniform(0, c.pred.phrase_variants() - 1));
  std::string plural = c.pred.phrase(true, variant), single = c.pred.phrase(false, variant);
  std::string rel = plural.empty() ? "" : std::string(rng.chance(70) ? " that " : " which ") + plural;
  std::vector<std::string> templates;
  for (const char* t : op_templates(c.op, c.setting == "io")) {
    std::string ts = t;
    bool needs_phrase = ts.find("{P}") != std::string::npos || ts.find("{S}") != std::string::npos;
    if (!(c.pred.none() && needs_phrase)) templates.push_back(ts);
  }
  std::string t = rng.pick(templates);
  t = subst(t, "{E}", rng.pick(nouns.plural));
  t = subst(t, "{e}", nouns.one);
  t = subst(t, "{R}", rel);
  t = subst(t, "{P}", plural);
  t = subst(t, "{S}", single);
  t = subst(t, "{c}", std::string(1, c.replacement));
  std::vector<std::string> out;
  if (c.setting == "io") {
    out.push_back(rng.pick(std::vector<std::string>{"Read an integer n, then n integers.",
                                                    "The input is a count n followed by n integers."}));
  }
  out.push_back(t);
  return out;
}

std::string difficulty_of(const Pred& p) {
  if (p.kind == "and" || p.literal_count() >= 2) return "hard";
  return p.literal_count() == 1 ? "medium" : "easy";
}

}  // namespace

Problem build_combo(const Combo& c, Rng& rng) {
  std::string name = combo_name(c);
  std::vector<std::string> text = describe(c, rng);
  std::string body = solution(c);
  std::vector<Input> inputs;
  std::vector<std::string> seen;
  for (Input& input : test_inputs(c, rng)) {
    std::string key = c.setting == "io" ? stdin_text(input) : args_text(c, input);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    inputs.push_back(std::move(input));
  }
  Problem p;
  if (c.setting == "io") {
    std::vector<sandbox::IoCase> cases;
    for (const Input& input : inputs) {
      cases.push_back({stdin_text(input), evaluate(c, input).text() + "\n"});
    }
    p = io_problem(family_of(c), name, text, body, cases);
  } else {
    std::vector<Call> calls;
    for (const Input& input : inputs) calls.push_back({args_text(c, input), evaluate(c, input)});
    p = function_problem(family_of(c), name, signature(c, name), text, body, calls);
  }
  p.difficulty = difficulty_of(c.pred);
  return p;
}

}  // namespace stepcoder::tasks::gen
