// Families of the generated suite with a fixed structure and a few parameters: recurrences,
// prefix sequences, gcd and primes, powers modulo m, sorting and searching. Expected outputs
// come from the C++ functions written beside each solution. Strings and simulations are in
// gen_fixed_text.cpp.
#include <algorithm>
#include <functional>

#include "tasks/gen/internal.h"

namespace stepcoder::tasks::gen {

namespace {

std::vector<long long> random_vec(Rng& rng, int min_len, int max_len, long long lo, long long hi) {
  std::vector<long long> v(static_cast<size_t>(rng.uniform(min_len, max_len)));
  for (long long& x : v) x = rng.uniform(lo, hi);
  return v;
}

// Tests over vector inputs: a fixed set of edge cases then random vectors.
std::vector<Call> vector_calls(Rng& rng, std::vector<std::vector<long long>> inputs, int random,
                               int min_len, long long lo, long long hi,
                               const std::function<Value(const std::vector<long long>&)>& f) {
  for (int k = 0; k < random; ++k) inputs.push_back(random_vec(rng, min_len, 8, lo, hi));
  std::vector<Call> calls;
  for (const auto& v : inputs) calls.push_back({cpp_vector(v), f(v)});
  return calls;
}

std::vector<Call> int_calls(const std::vector<long long>& ns,
                            const std::function<Value(long long)>& f) {
  std::vector<Call> calls;
  for (long long n : ns) calls.push_back({std::to_string(n), f(n)});
  return calls;
}

std::string times(int coef, const std::string& var) {
  return coef == 1 ? var : std::to_string(coef) + " * " + var;
}

void recurrences(Rng& rng, std::vector<Problem>& out) {
  for (int a0 = 0; a0 <= 3; ++a0) {
    for (int a1 = 1; a1 <= 3; ++a1) {
      for (int p = 1; p <= 2; ++p) {
        for (int q = 1; q <= 3; ++q) {
          if (!rng.chance(45)) continue;
          CodeWriter w;
          w.line("long long prev = " + std::to_string(a0) + ";");
          w.line("long long cur = " + std::to_string(a1) + ";");
          w.open("if (n == 0) {");
          w.line("return prev;");
          w.close();
          w.open("for (int i = 2; i <= n; i++) {");
          w.line("long long next = " + times(p, "cur") + " + " + times(q, "prev") + ";");
          w.line("prev = cur;");
          w.line("cur = next;");
          w.close();
          w.line("return cur;");
          auto term = [=](long long n) {
            long long x = a0, y = a1;
            if (n == 0) return Value::of_int(x);
            for (long long i = 2; i <= n; ++i) {
              long long z = p * y + q * x;
              x = y;
              y = z;
            }
            return Value::of_int(y);
          };
          std::string rule = (p == 1 ? "the previous term" : std::to_string(p) + " times the previous term") +
                             std::string(" plus ") +
                             (q == 1 ? "the one before it" : std::to_string(q) + " times the one before it");
          std::vector<std::string> text = {
              "A sequence starts with " + std::to_string(a0) + " and " + std::to_string(a1) +
                  ", and every later term is " + rule + ".",
              rng.chance(50) ? "Return the term at index n, counting from 0."
                             : "Return term number n (the first term is term 0)."};
          Problem pr = function_problem("sequence_recurrence", "nth_term", "long long nth_term(int n)",
                                        text, w.finish(), int_calls({0, 1, 2, 3, 7, 12, 20}, term));
          pr.task_id += "_" + std::to_string(a0) + std::to_string(a1) + std::to_string(p) + std::to_string(q);
          pr.difficulty = "medium";
          out.push_back(std::move(pr));
        }
      }
    }
  }
}

void prefix_running(Rng& rng, std::vector<Problem>& out) {
  struct Kind {
    std::string name, text, init, step;
    std::function<long long(long long acc, long long v, bool first)> f;
  };
  std::vector<Kind> kinds = {
      {"running_sum", "Return a vector whose i-th value is the sum of a[0] through a[i].",
       "int total = 0;", "total += a[i];", [](long long acc, long long v, bool) { return acc + v; }},
      {"running_max", "Return a vector whose i-th value is the largest of a[0] through a[i].",
       "int best = 0;", "", [](long long acc, long long v, bool first) { return first || v > acc ? v : acc; }},
      {"running_min", "Return a vector whose i-th value is the smallest of a[0] through a[i].",
       "int best = 0;", "", [](long long acc, long long v, bool first) { return first || v < acc ? v : acc; }},
  };
  for (const Kind& k : kinds) {
    CodeWriter w;
    w.line("vector<int> result;");
    w.line(k.init);
    w.open("for (int i = 0; i < (int)a.size(); i++) {");
    if (!k.step.empty()) {
      w.line(k.step);
      w.line("result.push_back(total);");
    } else {
      w.open(std::string("if (i == 0 || a[i] ") + (k.name == "running_max" ? ">" : "<") + " best) {");
      w.line("best = a[i];");
      w.close();
      w.line("result.push_back(best);");
    }
    w.close();
    w.line("return result;");
    auto f = [&](const std::vector<long long>& a) {
      std::vector<long long> r;
      long long acc = 0;
      for (size_t i = 0; i < a.size(); ++i) r.push_back(acc = k.f(acc, a[i], i == 0));
      return Value::of_vec(r);
    };
    Problem p = function_problem("sequence_prefix", k.name, "vector<int> " + k.name + "(vector<int> a)",
                                 {k.text}, w.finish(), vector_calls(rng, {{}, {5}, {-3, -1, -2}}, 4, 2, -20, 40, f));
    p.difficulty = "easy";
    out.push_back(std::move(p));
  }
  // Running counts reuse the predicate table.
  std::vector<Pred> preds = {make_pred("even"), make_pred("odd"), make_pred("positive"), make_pred("negative")};
  for (int k = 0; k < 4; ++k) preds.push_back(make_pred("greater", {static_cast<int>(rng.uniform(0, 20))}));
  for (int k = 0; k < 3; ++k) preds.push_back(make_pred("divisible", {static_cast<int>(rng.uniform(2, 9))}));
  for (const Pred& pred : preds) {
    std::string name = "running_count_" + pred.slug();
    if (std::any_of(out.begin(), out.end(), [&](const Problem& p) { return p.entry_point == name; })) continue;
    CodeWriter w;
    w.line("vector<int> result;");
    w.line("int count = 0;");
    w.open("for (int i = 0; i < (int)a.size(); i++) {");
    w.open("if (" + pred.code("a[i]") + ") {");
    w.line("count++;");
    w.close();
    w.line("result.push_back(count);");
    w.close();
    w.line("return result;");
    auto f = [&](const std::vector<long long>& a) {
      std::vector<long long> r;
      long long c = 0;
      for (long long v : a) r.push_back(c += pred.eval(v) ? 1 : 0);
      return Value::of_vec(r);
    };
    std::string text = "Return a vector whose i-th value is how many of a[0] through a[i] " + pred.phrase(true, 0) + ".";
    Problem p = function_problem("sequence_prefix", name, "vector<int> " + name + "(vector<int> a)", {text},
                                 w.finish(), vector_calls(rng, {{}, {4}}, 5, 3, -20, 40, f));
    p.difficulty = "medium";
    out.push_back(std::move(p));
  }
}

}  // namespace

namespace {

long long gcd_ll(long long a, long long b) {
  while (b != 0) {
    long long t = a % b;
    a = b;
    b = t;
  }
  return a;
}

void euclid(CodeWriter& w, const std::string& a, const std::string& b) {
  w.open("while (" + b + " != 0) {");
  w.line("int t = " + a + " % " + b + ";");
  w.line(a + " = " + b + ";");
  w.line(b + " = t;");
  w.close();
}

std::vector<Call> pair_calls(Rng& rng, const std::function<Value(long long, long long)>& f) {
  std::vector<std::pair<long long, long long>> args = {{12, 18}, {7, 7}, {1, 9}, {17, 5}, {0, 4}};
  for (int k = 0; k < 3; ++k) args.push_back({rng.uniform(1, 60), rng.uniform(1, 60)});
  std::vector<Call> calls;
  for (auto [a, b] : args) calls.push_back({std::to_string(a) + ", " + std::to_string(b), f(a, b)});
  return calls;
}

void gcds(Rng& rng, std::vector<Problem>& out) {
  CodeWriter g;
  euclid(g, "a", "b");
  g.line("return a;");
  out.push_back(function_problem("number_gcd", "gcd_of", "int gcd_of(int a, int b)",
                                 {"Return the greatest common divisor of a and b."}, g.finish(),
                                 pair_calls(rng, [](long long a, long long b) { return Value::of_int(gcd_ll(a, b)); })));
  CodeWriter l;
  l.line("int x = a;");
  l.line("int y = b;");
  euclid(l, "x", "y");
  l.line("return a / x * b;");
  auto lcm = [](long long a, long long b) { return Value::of_int(a / gcd_ll(a, b) * b); };
  std::vector<Call> lcm_calls;
  for (const Call& c : pair_calls(rng, lcm)) {
    if (c.args.rfind("0,", 0) != 0) lcm_calls.push_back(c);
  }
  out.push_back(function_problem("number_gcd", "lcm_of", "int lcm_of(int a, int b)",
                                 {"Return the least common multiple of the positive integers a and b."},
                                 l.finish(), lcm_calls));
  CodeWriter c;
  euclid(c, "a", "b");
  c.line("return a == 1;");
  out.push_back(function_problem("number_gcd", "coprime", "bool coprime(int a, int b)",
                                 {"Return true if a and b have no common divisor other than 1."}, c.finish(),
                                 pair_calls(rng, [](long long a, long long b) { return Value::of_bool(gcd_ll(a, b) == 1); })));
  for (int k : {4, 6, 8, 9, 10, 12, 15, 18, 20, 24, 30, 36}) {
    if (!rng.chance(60)) continue;
    CodeWriter w;
    w.line("int b = " + std::to_string(k) + ";");
    euclid(w, "n", "b");
    w.line("return n;");
    std::string name = "gcd_with_" + std::to_string(k);
    std::vector<long long> ns = {0, 1, k, 2 * k, k + 1};
    for (int r = 0; r < 3; ++r) ns.push_back(rng.uniform(2, 100));
    Problem p = function_problem("number_gcd", name, "int " + name + "(int n)",
                                 {"Return the greatest common divisor of n and " + std::to_string(k) + "."}, w.finish(),
                                 int_calls(ns, [k](long long n) { return Value::of_int(gcd_ll(n, k)); }));
    p.difficulty = "medium";
    out.push_back(std::move(p));
  }
}

bool is_prime(long long n) {
  if (n < 2) return false;
  for (long long j = 2; j * j <= n; ++j) {
    if (n % j == 0) return false;
  }
  return true;
}

void prime_loop(CodeWriter& w, const std::string& var) {
  w.line("bool prime = " + var + " >= 2;");
  w.open("for (int j = 2; j * j <= " + var + "; j++) {");
  w.open("if (" + var + " % j == 0) {");
  w.line("prime = false;");
  w.line("break;");
  w.close();
  w.close();
}

void primes(Rng& rng, std::vector<Problem>& out) {
  std::vector<long long> ns = {0, 1, 2, 9, 17, 25, 97};
  ns.push_back(rng.uniform(30, 200));
  CodeWriter ip;
  prime_loop(ip, "n");
  ip.line("return prime;");
  out.push_back(function_problem("number_primes", "is_prime", "bool is_prime(int n)",
                                 {"Return true if n is a prime number."}, ip.finish(),
                                 int_calls(ns, [](long long n) { return Value::of_bool(is_prime(n)); })));
  for (bool sum : {false, true}) {
    std::string name = sum ? "sum_primes" : "count_primes";
    CodeWriter w;
    w.line(sum ? "int total = 0;" : "int count = 0;");
    w.open("for (int i = 2; i <= n; i++) {");
    prime_loop(w, "i");
    w.open("if (prime) {");
    w.line(sum ? "total += i;" : "count++;");
    w.close();
    w.close();
    w.line(sum ? "return total;" : "return count;");
    auto f = [sum](long long n) {
      long long acc = 0;
      for (long long i = 2; i <= n; ++i) acc += is_prime(i) ? (sum ? i : 1) : 0;
      return Value::of_int(acc);
    };
    std::string text = sum ? "Return the sum of the prime numbers from 2 to n." : "Return how many prime numbers are at most n.";
    out.push_back(function_problem("number_primes", name, "int " + name + "(int n)", {text}, w.finish(), int_calls(ns, f)));
  }
  CodeWriter lp;
  lp.line("int best = 1;");
  lp.open("for (int p = 2; p <= n; p++) {");
  lp.open("while (n % p == 0) {");
  lp.line("best = p;");
  lp.line("n /= p;");
  lp.close();
  lp.close();
  lp.line("return best;");
  auto largest = [](long long n) {
    long long best = 1;
    for (long long p = 2; p <= n; ++p) {
      while (n % p == 0) {
        best = p;
        n /= p;
      }
    }
    return Value::of_int(best);
  };
  out.push_back(function_problem("number_primes", "largest_prime_factor", "int largest_prime_factor(int n)",
                                 {"Return the largest prime factor of n, or 1 when n is 1."}, lp.finish(),
                                 int_calls({1, 2, 12, 13, 84, 97, 360, rng.uniform(100, 999)}, largest)));
}

void powers(Rng& rng, std::vector<Problem>& out) {
  for (int m : {7, 10, 11, 13, 17, 97, 100, 1000, 1009, 1000000007}) {
    if (!rng.chance(70)) continue;
    CodeWriter w;
    w.line("long long result = 1;");
    w.open("for (int i = 0; i < e; i++) {");
    w.line("result = result * b % " + std::to_string(m) + ";");
    w.close();
    w.line("return result;");
    std::vector<std::pair<long long, long long>> args = {{2, 0}, {2, 10}, {3, 5}, {0, 3}, {m + 1, 4}};
    for (int k = 0; k < 3; ++k) args.push_back({rng.uniform(1, 500), rng.uniform(1, 40)});
    std::vector<Call> calls;
    for (auto [b, e] : args) {
      long long r = 1;
      for (long long i = 0; i < e; ++i) r = r * b % m;
      calls.push_back({std::to_string(b) + ", " + std::to_string(e), Value::of_int(r)});
    }
    std::string name = "power_mod_" + std::to_string(m);
    std::string text = rng.chance(50) ? "Return b to the power e, modulo " + std::to_string(m) + "."
                                      : "Compute the remainder of b raised to the power e when divided by " + std::to_string(m) + ".";
    Problem p = function_problem("number_power", name, "long long " + name + "(long long b, int e)", {text},
                                 w.finish(), calls);
    p.difficulty = "medium";
    out.push_back(std::move(p));
  }
}

}  // namespace

namespace {

void sorting(Rng& rng, std::vector<Problem>& out) {
  auto sorted = [](std::vector<long long> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CodeWriter asc;
  asc.line("sort(a.begin(), a.end());");
  asc.line("return a;");
  out.push_back(function_problem("sorting", "sort_ascending", "vector<int> sort_ascending(vector<int> a)",
                                 {"Return the elements of a sorted from smallest to largest."}, asc.finish(),
                                 vector_calls(rng, {{}, {3}, {2, 2, 1}}, 4, 2, -20, 40,
                                              [&](const std::vector<long long>& a) { return Value::of_vec(sorted(a)); })));
  CodeWriter desc;
  desc.line("sort(a.begin(), a.end());");
  desc.line("reverse(a.begin(), a.end());");
  desc.line("return a;");
  out.push_back(function_problem("sorting", "sort_descending", "vector<int> sort_descending(vector<int> a)",
                                 {"Return the elements of a sorted from largest to smallest."}, desc.finish(),
                                 vector_calls(rng, {{}, {3}, {1, 2, 2}}, 4, 2, -20, 40, [&](const std::vector<long long>& a) {
                                   std::vector<long long> v = sorted(a);
                                   std::reverse(v.begin(), v.end());
                                   return Value::of_vec(v);
                                 })));
  static const char* kOrdinal[] = {"", "1st", "2nd", "3rd", "4th"};
  for (int k = 1; k <= 4; ++k) {
    for (bool largest : {false, true}) {
      std::string name = std::string(largest ? "kth_largest_" : "kth_smallest_") + std::to_string(k);
      CodeWriter w;
      w.line("sort(a.begin(), a.end());");
      w.line(largest ? "return a[(int)a.size() - " + std::to_string(k) + "];" : "return a[" + std::to_string(k - 1) + "];");
      auto f = [&](const std::vector<long long>& a) {
        std::vector<long long> v = sorted(a);
        return Value::of_int(largest ? v[v.size() - static_cast<size_t>(k)] : v[static_cast<size_t>(k - 1)]);
      };
      std::string text = "Return the " + std::string(kOrdinal[k]) + (largest ? " largest" : " smallest") +
                         " element of a. The vector has at least " + std::to_string(k) + " elements.";
      Problem p = function_problem("sorting", name, "int " + name + "(vector<int> a)", {text}, w.finish(),
                                   vector_calls(rng, {std::vector<long long>(static_cast<size_t>(k), 7)}, 5, k, -20, 40, f));
      p.difficulty = "medium";
      out.push_back(std::move(p));
    }
  }
  CodeWriter d;
  d.line("sort(a.begin(), a.end());");
  d.line("int count = 0;");
  d.open("for (int i = 0; i < (int)a.size(); i++) {");
  d.open("if (i == 0 || a[i] != a[i - 1]) {");
  d.line("count++;");
  d.close();
  d.close();
  d.line("return count;");
  out.push_back(function_problem("sorting", "count_distinct", "int count_distinct(vector<int> a)",
                                 {"Return how many different values appear in a."}, d.finish(),
                                 vector_calls(rng, {{}, {4, 4, 4}}, 5, 1, 0, 6, [&](const std::vector<long long>& a) {
                                   std::vector<long long> v = sorted(a);
                                   return Value::of_int(std::unique(v.begin(), v.end()) - v.begin());
                                 })));
  CodeWriter s;
  s.open("for (int i = 1; i < (int)a.size(); i++) {");
  s.open("if (a[i] < a[i - 1]) {");
  s.line("return false;");
  s.close();
  s.close();
  s.line("return true;");
  out.push_back(function_problem("sorting", "is_sorted_ascending", "bool is_sorted_ascending(vector<int> a)",
                                 {"Return true if the elements of a never decrease from left to right."}, s.finish(),
                                 vector_calls(rng, {{}, {1, 2, 2, 5}, {3, 1}}, 3, 2, 0, 5, [](const std::vector<long long>& a) {
                                   return Value::of_bool(std::is_sorted(a.begin(), a.end()));
                                 })));
  CodeWriter b;
  b.line("int lo = 0;");
  b.line("int hi = (int)a.size() - 1;");
  b.open("while (lo <= hi) {");
  b.line("int mid = (lo + hi) / 2;");
  b.open("if (a[mid] == target) {");
  b.line("return mid;");
  b.close();
  b.open("if (a[mid] < target) {");
  b.line("lo = mid + 1;");
  b.reopen("} else {");
  b.line("hi = mid - 1;");
  b.close();
  b.close();
  b.line("return -1;");
  std::vector<Call> calls;
  std::vector<long long> base = {1, 3, 4, 8, 10, 15, 21};
  for (long long t : {1LL, 21LL, 8LL, 5LL, 0LL, 30LL}) {
    long long idx = std::find(base.begin(), base.end(), t) - base.begin();
    calls.push_back({cpp_vector(base) + ", " + std::to_string(t), Value::of_int(idx < 7 ? idx : -1)});
  }
  calls.push_back({"{}, 3", Value::of_int(-1)});
  out.push_back(function_problem("sorting", "binary_search_index", "int binary_search_index(vector<int> a, int target)",
                                 {"The vector a is sorted in increasing order and has no repeated values.",
                                  "Return the index of target in a, or -1 if it is absent."},
                                 b.finish(), calls));
}

}  // namespace

std::vector<Problem> fixed_text_problems(Rng& rng);

std::vector<Problem> fixed_problems(Rng& rng) {
  std::vector<Problem> out;
  recurrences(rng, out);
  prefix_running(rng, out);
  gcds(rng, out);
  primes(rng, out);
  powers(rng, out);
  sorting(rng, out);
  for (Problem& p : fixed_text_problems(rng)) out.push_back(std::move(p));
  for (Problem& p : out) {
    if (p.difficulty.empty()) p.difficulty = "medium";
  }
  return out;
}

}  // namespace stepcoder::tasks::gen
