// Fixed families of the generated suite over text and simulations: string transforms
// (reverse, palindromes, case, run-length), digit transforms of numbers, and stdin/stdout
// simulations (a robot on a line, a bank account, a counter modulo m).
#include <algorithm>
#include <cctype>
#include <functional>

#include "tasks/gen/internal.h"

namespace stepcoder::tasks::gen {

namespace {

std::string random_text(Rng& rng, int min_len, int max_len, const std::string& alphabet) {
  std::string s;
  int len = static_cast<int>(rng.uniform(min_len, max_len));
  for (int k = 0; k < len; ++k) s += alphabet[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(alphabet.size()) - 1))];
  return s;
}

std::vector<Call> string_calls(Rng& rng, std::vector<std::string> inputs, const std::string& alphabet,
                               const std::function<Value(const std::string&)>& f) {
  for (int k = 0; k < 4; ++k) inputs.push_back(random_text(rng, 3, 12, alphabet));
  std::vector<Call> calls;
  for (const std::string& s : inputs) calls.push_back({cpp_string(s), f(s)});
  return calls;
}

struct StringTask {
  std::string name, ret, text;
  std::vector<std::string> body;  // lines; "{" at the end opens, "}" closes
  std::vector<std::string> edges;
  std::string alphabet;
  std::function<Value(const std::string&)> f;
};

std::string body_of(const std::vector<std::string>& lines) {
  CodeWriter w;
  for (const std::string& l : lines) {
    if (l.rfind("} else", 0) == 0) {
      w.reopen(l);
    } else if (l == "}") {
      w.close();
    } else if (l.back() == '{') {
      w.open(l);
    } else {
      w.line(l);
    }
  }
  return w.finish();
}

void strings(Rng& rng, std::vector<Problem>& out) {
  const std::string lower = "abcdefghijklmnopqrstuvwxyz", words = "abcde  fghij ";
  std::vector<StringTask> tasks = {
      {"reverse_string", "string", "Return s with its characters in reverse order.",
       {"string result = \"\";", "for (int i = (int)s.size() - 1; i >= 0; i--) {", "result += s[i];", "}", "return result;"},
       {"", "a", "ab"}, lower, [](const std::string& s) { return Value::of_str(std::string(s.rbegin(), s.rend())); }},
      {"is_palindrome", "bool", "Return true if s reads the same forwards and backwards.",
       {"int n = s.size();", "for (int i = 0; i < n / 2; i++) {", "if (s[i] != s[n - 1 - i]) {", "return false;", "}", "}", "return true;"},
       {"", "a", "abba", "abca", "racecar"}, "ab",
       [](const std::string& s) { return Value::of_bool(std::equal(s.begin(), s.end(), s.rbegin())); }},
      {"swap_case", "string", "Return s with uppercase letters made lowercase and lowercase letters made uppercase.",
       {"for (int i = 0; i < (int)s.size(); i++) {", "if (isupper(s[i])) {", "s[i] = tolower(s[i]);", "} else {",
        "s[i] = toupper(s[i]);", "}", "}", "return s;"},
       {"", "aB", "Hello World"}, "abcXYZ 19",
       [](const std::string& s) {
         std::string r = s;
         for (char& c : r) c = std::isupper(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : static_cast<char>(std::toupper(c));
         return Value::of_str(r);
       }},
      {"count_words", "int", "Return the number of words in s; words are separated by one or more spaces.",
       {"int count = 0;", "for (int i = 0; i < (int)s.size(); i++) {", "if (s[i] != ' ' && (i == 0 || s[i - 1] == ' ')) {",
        "count++;", "}", "}", "return count;"},
       {"", "   ", "one", " two  words "}, words,
       [](const std::string& s) {
         long long c = 0;
         for (size_t i = 0; i < s.size(); ++i) c += s[i] != ' ' && (i == 0 || s[i - 1] == ' ');
         return Value::of_int(c);
       }},
      {"capitalize_words", "string", "Return s with the first letter of every word made uppercase.",
       {"for (int i = 0; i < (int)s.size(); i++) {", "if (i == 0 || s[i - 1] == ' ') {", "s[i] = toupper(s[i]);", "}", "}", "return s;"},
       {"", "hello world", " a b"}, words,
       [](const std::string& s) {
         std::string r = s;
         for (size_t i = 0; i < r.size(); ++i) {
           if (i == 0 || r[i - 1] == ' ') r[i] = static_cast<char>(std::toupper(r[i]));
         }
         return Value::of_str(r);
       }},
      {"run_length", "string", "Encode s by run length: each run of equal characters becomes the character followed by the run's length.",
       {"string result = \"\";", "int i = 0;", "while (i < (int)s.size()) {", "int j = i;",
        "while (j < (int)s.size() && s[j] == s[i]) {", "j++;", "}", "result += s[i];", "result += to_string(j - i);",
        "i = j;", "}", "return result;"},
       {"", "a", "aaabcc"}, "aab",
       [](const std::string& s) {
         std::string r;
         for (size_t i = 0, j; i < s.size(); i = j) {
           for (j = i; j < s.size() && s[j] == s[i]; ++j) {
           }
           r += s[i] + std::to_string(j - i);
         }
         return Value::of_str(r);
       }},
      {"squeeze_repeats", "string", "Return s with every run of repeated characters replaced by a single one.",
       {"string result = \"\";", "for (int i = 0; i < (int)s.size(); i++) {", "if (i == 0 || s[i] != s[i - 1]) {",
        "result += s[i];", "}", "}", "return result;"},
       {"", "aaa", "abba"}, "aab",
       [](const std::string& s) {
         std::string r;
         for (size_t i = 0; i < s.size(); ++i) {
           if (i == 0 || s[i] != s[i - 1]) r += s[i];
         }
         return Value::of_str(r);
       }},
  };
  for (const StringTask& t : tasks) {
    out.push_back(function_problem("string_basic", t.name, t.ret + " " + t.name + "(string s)", {t.text},
                                   body_of(t.body), string_calls(rng, t.edges, t.alphabet, t.f)));
  }
}

}  // namespace

namespace {

void digit_transforms(Rng& rng, std::vector<Problem>& out) {
  struct Task {
    std::string name, ret, text;
    std::vector<std::string> body;
    std::function<long long(long long)> f;
  };
  auto reverse_digits = [](long long n) {
    long long r = 0;
    for (; n > 0; n /= 10) r = r * 10 + n % 10;
    return r;
  };
  std::vector<Task> tasks = {
      {"reverse_number", "int", "Return the number formed by the digits of n in reverse order.",
       {"int result = 0;", "while (n > 0) {", "result = result * 10 + n % 10;", "n /= 10;", "}", "return result;"},
       reverse_digits},
      {"is_palindrome_number", "bool", "Return true if the digits of n read the same forwards and backwards.",
       {"int original = n;", "int reversed = 0;", "while (n > 0) {", "reversed = reversed * 10 + n % 10;", "n /= 10;", "}",
        "return reversed == original;"},
       [=](long long n) -> long long { return reverse_digits(n) == n; }},
      {"digital_root", "int", "Repeatedly replace n by the sum of its digits until it has one digit, and return that digit.",
       {"while (n >= 10) {", "int total = 0;", "while (n > 0) {", "total += n % 10;", "n /= 10;", "}", "n = total;", "}", "return n;"},
       [](long long n) {
         while (n >= 10) {
           long long t = 0;
           for (; n > 0; n /= 10) t += n % 10;
           n = t;
         }
         return n;
       }},
      {"product_of_digits", "int", "Return the product of the digits of the positive integer n.",
       {"int product = 1;", "while (n > 0) {", "product *= n % 10;", "n /= 10;", "}", "return product;"},
       [](long long n) {
         long long p = 1;
         for (; n > 0; n /= 10) p *= n % 10;
         return p;
       }},
  };
  for (const Task& t : tasks) {
    std::vector<long long> ns = {1, 7, 10, 121, 1230, 4554};
    for (int k = 0; k < 3; ++k) ns.push_back(rng.uniform(11, 99999));
    std::vector<Call> calls;
    for (long long n : ns) {
      long long r = t.f(n);
      calls.push_back({std::to_string(n), t.ret == "bool" ? Value::of_bool(r != 0) : Value::of_int(r)});
    }
    out.push_back(function_problem("digits_transform", t.name, t.ret + " " + t.name + "(int n)", {t.text},
                                   body_of(t.body), calls));
  }
}

Problem io_task(const std::string& family, const std::string& name, const std::vector<std::string>& text,
                const std::vector<std::string>& body, const std::vector<std::string>& inputs,
                const std::function<std::string(const std::string&)>& f) {
  std::vector<sandbox::IoCase> cases;
  for (const std::string& in : inputs) cases.push_back({in, f(in) + "\n"});
  Problem p = io_problem(family, name, text, body_of(body), cases);
  p.difficulty = "medium";
  return p;
}

std::vector<long long> numbers_in(const std::string& text) {
  std::vector<long long> v;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t used = 0;
    size_t start = text.find_first_not_of(" \n", pos);
    if (start == std::string::npos) break;
    v.push_back(std::stoll(text.substr(start), &used));
    pos = start + used;
  }
  return v;
}

std::string count_then_values(Rng& rng, int len, long long lo, long long hi) {
  std::string s = std::to_string(len) + "\n";
  for (int k = 0; k < len; ++k) s += (k ? " " : "") + std::to_string(rng.uniform(lo, hi));
  return s + "\n";
}

void simulations(Rng& rng, std::vector<Problem>& out) {
  for (int right = 1; right <= 3; ++right) {
    for (int left = 1; left <= 3; ++left) {
      if (!rng.chance(60)) continue;
      std::vector<std::string> inputs = {"R\n", "L\n", "RRLL\n"};
      for (int k = 0; k < 4; ++k) inputs.push_back(random_text(rng, 2, 12, "LR") + "\n");
      std::string r = std::to_string(right), l = std::to_string(left);
      out.push_back(io_task("simulation_walk", "walk_" + r + "_" + l,
                            {"A robot starts at position 0. Read a string of moves made of 'L' and 'R'.",
                             "Each 'R' moves it " + r + " to the right and each 'L' moves it " + l + " to the left. Print its final position."},
                            {"string moves;", "cin >> moves;", "int position = 0;", "for (int i = 0; i < (int)moves.size(); i++) {",
                             "if (moves[i] == 'R') {", "position += " + r + ";", "} else {", "position -= " + l + ";", "}", "}",
                             "cout << position << endl;", "return 0;"},
                            inputs, [=](const std::string& in) {
                              long long pos = 0;
                              for (char c : in) pos += c == 'R' ? right : c == 'L' ? -left : 0;
                              return std::to_string(pos);
                            }));
    }
  }
  for (int start : {0, 10, 25, 50, 100}) {
    std::vector<std::string> inputs = {"0\n\n", "1\n-5\n", "3\n5 -3 -3\n"};
    for (int k = 0; k < 4; ++k) inputs.push_back(count_then_values(rng, static_cast<int>(rng.uniform(2, 8)), -60, 40));
    std::string s = std::to_string(start);
    out.push_back(io_task("simulation_bank", "bank_" + s,
                          {"An account starts with balance " + s + ". Read n, then n amounts.",
                           "A positive amount is a deposit; a negative amount is a withdrawal, refused if the balance would drop below 0. Print the final balance."},
                          {"int n;", "cin >> n;", "int balance = " + s + ";", "for (int i = 0; i < n; i++) {", "int x;", "cin >> x;",
                           "if (x >= 0 || balance + x >= 0) {", "balance += x;", "}", "}", "cout << balance << endl;", "return 0;"},
                          inputs, [=](const std::string& in) {
                            std::vector<long long> v = numbers_in(in);
                            long long bal = start;
                            for (size_t k = 1; k < v.size(); ++k) {
                              if (v[k] >= 0 || bal + v[k] >= 0) bal += v[k];
                            }
                            return std::to_string(bal);
                          }));
  }
  for (int m : {5, 7, 10, 12, 24, 60}) {
    if (!rng.chance(70)) continue;
    std::vector<std::string> inputs = {"0\n\n", "1\n" + std::to_string(m) + "\n", "2\n" + std::to_string(m - 1) + " 2\n"};
    for (int k = 0; k < 4; ++k) inputs.push_back(count_then_values(rng, static_cast<int>(rng.uniform(2, 8)), 0, 50));
    std::string ms = std::to_string(m);
    out.push_back(io_task("simulation_clock", "clock_" + ms,
                          {"A counter starts at 0 and wraps around modulo " + ms + ". Read n, then n non-negative steps.",
                           "Advance the counter by each step and print where it ends."},
                          {"int n;", "cin >> n;", "int counter = 0;", "for (int i = 0; i < n; i++) {", "int x;", "cin >> x;",
                           "counter = (counter + x) % " + ms + ";", "}", "cout << counter << endl;", "return 0;"},
                          inputs, [=](const std::string& in) {
                            std::vector<long long> v = numbers_in(in);
                            long long c = 0;
                            for (size_t k = 1; k < v.size(); ++k) c = (c + v[k]) % m;
                            return std::to_string(c);
                          }));
  }
  std::vector<std::string> inputs = {"1\n", "2\n", "6\n", "27\n"};
  for (int k = 0; k < 3; ++k) inputs.push_back(std::to_string(rng.uniform(3, 500)) + "\n");
  out.push_back(io_task("simulation_collatz", "collatz_steps",
                        {"Read a positive integer n. While n is not 1, halve it if it is even, otherwise replace it by 3 * n + 1.",
                         "Print the number of steps until n becomes 1."},
                        {"long long n;", "cin >> n;", "int steps = 0;", "while (n != 1) {", "if (n % 2 == 0) {", "n /= 2;", "} else {",
                         "n = 3 * n + 1;", "}", "steps++;", "}", "cout << steps << endl;", "return 0;"},
                        inputs, [](const std::string& in) {
                          long long n = std::stoll(in), steps = 0;
                          for (; n != 1; ++steps) n = n % 2 == 0 ? n / 2 : 3 * n + 1;
                          return std::to_string(steps);
                        }));
}

}  // namespace

std::vector<Problem> fixed_text_problems(Rng& rng) {
  std::vector<Problem> out;
  strings(rng, out);
  digit_transforms(rng, out);
  simulations(rng, out);
  return out;
}

}  // namespace stepcoder::tasks::gen
