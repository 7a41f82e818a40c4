// The records suite, built for CCCS experiments (SUITE.md, "The records suite"): long
// stdin/stdout programs (23-37 lines, 4 or more control statements) that parse records, derive
// a value, filter, group, aggregate and print, composed from independent choices at each
// stage. Whole-program sampling rarely gets all stages right; completing the end of a reference
// first is what CCCS offers. Expected outputs come from C++ beside each choice, never from
// running a solution.
#include <algorithm>
#include <functional>
#include <map>

#include "tasks/gen/generate.h"
#include "tasks/gen/internal.h"
#include "tasks/problem_io.h"
#include "util/files.h"

namespace stepcoder::tasks {
namespace {

using gen::CodeWriter;

struct Record {
  std::string name;
  long long first = 0, second = 0;
};

struct Derive {  // the value of a record
  const char* code;
  const char* text;
  long long (*f)(long long, long long);
};
const Derive kDerive[] = {
    {"first[i] + second[i]", "the sum of its two integers", [](long long a, long long b) { return a + b; }},
    {"first[i] * second[i]", "the product of its two integers", [](long long a, long long b) { return a * b; }},
    {"first[i] - second[i]", "its first integer minus its second", [](long long a, long long b) { return a - b; }},
    {"max(first[i], second[i])", "the larger of its two integers", [](long long a, long long b) { return std::max(a, b); }},
    {"2 * first[i] + second[i]", "twice its first integer plus its second", [](long long a, long long b) { return 2 * a + b; }},
};

struct NameRule {  // a second filter, on the name
  std::string code, text;
  std::function<bool(const std::string&)> keep;
};

NameRule draw_name_rule(Rng& rng) {
  switch (rng.uniform(0, 3)) {
    case 0: return {"", "", [](const std::string&) { return true; }};
    case 1: {
      const int len = static_cast<int>(rng.uniform(3, 5));
      return {"(int)names[i].size() >= " + std::to_string(len), "whose name has at least " + std::to_string(len) + " letters",
              [len](const std::string& s) { return static_cast<int>(s.size()) >= len; }};
    }
    case 2: {
      const char c = static_cast<char>(rng.uniform('d', 'w'));
      return {std::string("names[i][0] < '") + c + "'", std::string("whose name starts with a letter before '") + c + "'",
              [c](const std::string& s) { return s[0] < c; }};
    }
    default: {
      const char c = "aeiou"[rng.uniform(0, 4)];
      return {std::string("names[i].find('") + c + "') != string::npos",
              std::string("whose name contains the letter '") + c + "'",
              [c](const std::string& s) { return s.find(c) != std::string::npos; }};
    }
  }
}

struct Shape {
  int derive = 0;
  Pred keep;               // on the value
  NameRule name;
  int group = 0;           // 0: none, 1: first letter, 2: value modulo `modulus`
  int modulus = 3;
  std::string aggregate;   // sum, count, max, min
  bool best_only = false;  // print only the group with the largest result
  bool count_kept = false; // finally print how many records were kept
};

Shape draw_shape(Rng& rng) {
  static const std::vector<std::string> kinds = {"even", "odd", "greater", "less", "divisible", "at_least", "at_most"};
  Shape s;
  s.derive = static_cast<int>(rng.uniform(0, static_cast<int64_t>(sizeof kDerive / sizeof kDerive[0]) - 1));
  const std::string& kind = rng.pick(kinds);
  s.keep = pred_param_count(kind) == 0 ? make_pred(kind)
           : kind == "divisible"     ? make_pred(kind, {static_cast<int>(rng.uniform(2, 5))})
                                     : make_pred(kind, {static_cast<int>(rng.uniform(3, 30))});
  s.name = draw_name_rule(rng);
  s.group = static_cast<int>(rng.uniform(0, 2));
  s.modulus = static_cast<int>(rng.uniform(2, 4));
  s.aggregate = rng.pick(std::vector<std::string>{"sum", "count", "max", "min"});
  s.best_only = s.group != 0 && rng.chance(40);
  s.count_kept = rng.chance(50) && !(s.group == 0 && s.aggregate == "count");  // not the same number twice
  return s;
}

std::vector<std::string> describe(const Shape& s, Rng& rng) {
  static const char* kAgg[] = {"the sum of their values", "how many records it holds", "the largest value",
                               "the smallest value"};
  const int agg = s.aggregate == "sum" ? 0 : s.aggregate == "count" ? 1 : s.aggregate == "max" ? 2 : 3;
  std::vector<std::string> t = {
      "The first line holds n. Each of the next n lines holds a record: a name of lowercase letters and two integers.",
      std::string("The value of a record is ") + kDerive[s.derive].text + ".",
      "Keep only the records whose value " + s.keep.phrase(false, static_cast<int>(rng.uniform(0, s.keep.phrase_variants() - 1))) +
          (s.name.text.empty() ? "" : " and " + s.name.text) + "."};
  if (s.group == 0) {
    t.push_back(std::string("Print ") + (agg == 1 ? "how many records are kept" : std::string(kAgg[agg]) + " of the kept records") + ".");
  } else {
    t.push_back(std::string("Group the kept records by ") +
                (s.group == 1 ? "the first letter of their name" : "their value modulo " + std::to_string(s.modulus)) +
                "; the result of a group is " + kAgg[agg] + ".");
    t.push_back(s.best_only ? "Print the group with the largest result and that result, separated by a space (the smallest such group on a tie)."
                            : "Print one line per group in increasing order: the group and its result, separated by a space.");
  }
  t.push_back("If no record is kept, print NONE instead.");
  if (s.count_kept) t.push_back("Then, in every case, print the number of records kept on a line of its own.");
  return t;
}

void emit_update(const Shape& s, CodeWriter& w) {
  if (s.aggregate == "sum") return w.line("result[key] += value;");
  if (s.aggregate == "count") return w.line("result[key]++;");
  w.open("if (result.count(key) == 0 || value " + std::string(s.aggregate == "max" ? ">" : "<") + " result[key]) {");
  w.line("result[key] = value;");
  w.close();
}

std::string solution(const Shape& s) {
  CodeWriter w;
  w.line("int n;");
  w.line("cin >> n;");
  w.line("vector<string> names(n);");
  w.line("vector<int> first(n), second(n);");
  w.open("for (int i = 0; i < n; i++) {");
  w.line("cin >> names[i] >> first[i] >> second[i];");
  w.close();
  w.line(std::string("map<") + (s.group == 1 ? "char" : "int") + ", int> result;");
  if (s.count_kept) w.line("int kept = 0;");
  w.open("for (int i = 0; i < n; i++) {");
  w.line(std::string("int value = ") + kDerive[s.derive].code + ";");
  w.open("if (!(" + s.keep.code("value") + ")) {");
  w.line("continue;");
  w.close();
  if (!s.name.code.empty()) {
    w.open("if (!(" + s.name.code + ")) {");
    w.line("continue;");
    w.close();
  }
  w.line(s.group == 1 ? "char key = names[i][0];" : s.group == 2 ? "int key = ((value % " + std::to_string(s.modulus) + ") + " +
                                                                       std::to_string(s.modulus) + ") % " + std::to_string(s.modulus) + ";"
                                                                 : "int key = 0;");
  emit_update(s, w);
  if (s.count_kept) w.line("kept++;");
  w.close();
  w.open("if (result.empty()) {");
  w.line("cout << \"NONE\" << endl;");
  if (s.group == 0) {
    w.reopen("} else {");
    w.line("cout << result[0] << endl;");
  } else if (s.best_only) {
    w.reopen("} else {");
    w.line("auto best = result.begin();");
    w.open("for (auto it = result.begin(); it != result.end(); it++) {");
    w.open("if (it->second > best->second) {");
    w.line("best = it;");
    w.close();
    w.close();
    w.line("cout << best->first << \" \" << best->second << endl;");
  } else {
    w.reopen("} else {");
    w.open("for (auto& [key, total] : result) {");
    w.line("cout << key << \" \" << total << endl;");
    w.close();
  }
  w.close();
  if (s.count_kept) w.line("cout << kept << endl;");
  w.line("return 0;");
  return w.finish();
}

// The program's output on `records`, by the same semantics in C++.
std::string expected(const Shape& s, const std::vector<Record>& records) {
  std::map<long long, long long> result;  // first letters are keyed by their code, printed as letters
  long long kept = 0;
  for (const Record& r : records) {
    const long long value = kDerive[s.derive].f(r.first, r.second);
    if (!s.keep.eval(value) || !s.name.keep(r.name)) continue;
    const long long key = s.group == 1 ? r.name[0] : s.group == 2 ? ((value % s.modulus) + s.modulus) % s.modulus : 0;
    auto it = result.find(key);
    if (s.aggregate == "sum") result[key] += value;
    else if (s.aggregate == "count") result[key] += 1;
    else if (it == result.end() || (s.aggregate == "max" ? value > it->second : value < it->second)) result[key] = value;
    ++kept;
  }
  auto key_text = [&](long long k) { return s.group == 1 ? std::string(1, static_cast<char>(k)) : std::to_string(k); };
  std::string out;
  if (result.empty()) {
    out = "NONE\n";
  } else if (s.group == 0) {
    out = std::to_string(result[0]) + "\n";
  } else if (s.best_only) {
    auto best = result.begin();
    for (auto it = result.begin(); it != result.end(); ++it)
      if (it->second > best->second) best = it;
    out = key_text(best->first) + " " + std::to_string(best->second) + "\n";
  } else {
    for (const auto& [k, v] : result) out += key_text(k) + " " + std::to_string(v) + "\n";
  }
  if (s.count_kept) out += std::to_string(kept) + "\n";
  return out;
}

std::vector<sandbox::IoCase> cases_for(const Shape& s, Rng& rng) {
  std::vector<sandbox::IoCase> cases;
  for (int k = 0; k < 7; ++k) {
    std::vector<Record> records(static_cast<size_t>(k == 0 ? 0 : rng.uniform(3, 9)));
    for (Record& r : records) {
      const int len = static_cast<int>(rng.uniform(2, 6));
      for (int c = 0; c < len; ++c) r.name += static_cast<char>(rng.uniform('a', 'z'));
      r.first = rng.uniform(0, 20), r.second = rng.uniform(0, 20);
    }
    std::string input = std::to_string(records.size()) + "\n";
    for (const Record& r : records) input += r.name + " " + std::to_string(r.first) + " " + std::to_string(r.second) + "\n";
    cases.push_back({input, expected(s, records)});
  }
  return cases;
}

Problem make(Rng& rng, const std::string& split, int id) {
  const Shape s = draw_shape(rng);
  Problem p = gen::io_problem("records", "records", describe(s, rng), solution(s), cases_for(s, rng));
  p.task_id = "records/" + split + "_" + std::to_string(id);
  p.difficulty = "hard";
  p.split = split;
  return p;
}

}  // namespace

RecordsSuite generate_records_suite(const RecordsOptions& o) {
  Rng rng(o.seed ^ 0x7ec0d5ULL);
  RecordsSuite s;
  const std::pair<std::vector<Problem>*, std::pair<const char*, int>> plan[] = {
      {&s.sft, {"sft", o.sft}}, {&s.train, {"train", o.pool}}, {&s.valid, {"valid", o.valid}}, {&s.test, {"test", o.test}}};
  for (const auto& [out, what] : plan)
    for (int i = 0; i < what.second; ++i) out->push_back(make(rng, what.first, i));
  return s;
}

Status write_records_suite(const std::string& dir, const RecordsSuite& s) {
  return gen::write_split_files(dir, {{"sft.jsonl", &s.sft}, {"train.jsonl", &s.train}, {"valid.jsonl", &s.valid},
                                      {"test.jsonl", &s.test}},
                                 "the records suite");
}

}  // namespace stepcoder::tasks
