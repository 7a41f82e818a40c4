// The dispatch suite, built for FGO experiments (SUITE.md, "The dispatch suite"): each problem
// is one function that applies one of 4 described operations to a vector, chosen by an
// argument `op`, with a described guard for any other op. A PPO problem's tests call only one or
// two of its operations, so a correct program holds code that no test runs; the untested
// parts are judged apart, in `hidden`, so their accuracy after training shows whether rewards
// earned on the tested parts corrupted them. Expected values come from C++ beside each
// operation, never from running a solution.
#include <algorithm>
#include <set>

#include "tasks/gen/generate.h"
#include "tasks/gen/internal.h"
#include "tasks/problem_io.h"
#include "util/files.h"

namespace stepcoder::tasks {
namespace {

using gen::Call;
using gen::CodeWriter;
using gen::Value;

struct Part {
  std::string op;  // sum, count, max, min, first_index
  Pred pred;
};

const std::vector<std::string> kOps = {"sum", "count", "max", "min", "first_index"};
const std::vector<std::string> kPredKinds = {"even", "odd",     "greater", "less",          "at_least",
                                             "at_most", "divisible", "not_divisible", "equal", "ends_in"};
constexpr int kGuard = -1;  // what every other op returns
constexpr int kParts = 4;   // operations a problem: a pool problem tests 1-2, so FGO masks about half

Pred draw_pred(Rng& rng) {
  const std::string& kind = rng.pick(kPredKinds);
  if (pred_param_count(kind) == 0) return make_pred(kind);
  if (kind == "divisible" || kind == "not_divisible") return make_pred(kind, {static_cast<int>(rng.uniform(2, 7))});
  if (kind == "ends_in") return make_pred(kind, {static_cast<int>(rng.uniform(0, 9))});
  return make_pred(kind, {static_cast<int>(rng.uniform(2, 25))});
}

std::string sentence(const Part& p, int index, Rng& rng) {
  const std::string that = p.pred.phrase(/*plural=*/p.op == "sum" || p.op == "count",
                                         static_cast<int>(rng.uniform(0, p.pred.phrase_variants() - 1)));
  const std::string head = "If op is " + std::to_string(index) + ", return ";
  if (p.op == "sum") return head + "the sum of the elements that " + that + ".";
  if (p.op == "count") return head + "how many elements " + that + ".";
  if (p.op == "max") return head + "the largest element that " + that + ", or 0 when there is none.";
  if (p.op == "min") return head + "the smallest element that " + that + ", or 0 when there is none.";
  return head + "the index of the first element that " + that + ", or -1 when there is none.";
}

// One compact block per operation (a loop with a one-line body), so that a 4-operation program
// stays near 300 tokens with its prompt: a 5M model trains on it at a few seconds a step.
void emit(const Part& p, int index, CodeWriter& w) {
  w.open("if (op == " + std::to_string(index) + ") {");
  if (p.op == "first_index") {
    w.line("for (int i = 0; i < (int)a.size(); i++) if (" + p.pred.code("a[i]") + ") return i;");
    w.line("return -1;");
  } else if (p.op == "sum" || p.op == "count") {
    const std::string var = p.op == "sum" ? "total" : "count";
    w.line("int " + var + " = 0;");
    w.line("for (int x : a) if (" + p.pred.code("x") + ") " + (p.op == "sum" ? "total += x;" : "count++;"));
    w.line("return " + var + ";");
  } else {
    w.line("int best = 0;");
    w.line("bool found = false;");
    w.line("for (int x : a) if (" + p.pred.code("x") + " && (!found || x " + (p.op == "max" ? ">" : "<") +
           " best)) { best = x; found = true; }");
    w.line("return best;");
  }
  w.close();
}

long long apply(const Part& p, const std::vector<long long>& a) {
  long long total = 0, count = 0, best = 0;
  bool found = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!p.pred.eval(a[i])) continue;
    if (p.op == "first_index") return static_cast<long long>(i);
    total += a[i], ++count;
    if (!found || (p.op == "max" ? a[i] > best : a[i] < best)) best = a[i], found = true;
  }
  if (p.op == "first_index") return -1;
  return p.op == "sum" ? total : p.op == "count" ? count : best;
}

// Inputs for one operation: the empty vector, one with no match, then mixes.
std::vector<Call> calls_for(const Part& p, int index, Rng& rng) {
  std::vector<std::vector<long long>> inputs = {{}};
  for (int k = 0; k < 3; ++k) {
    std::vector<long long> v(static_cast<size_t>(rng.uniform(2, 7)));
    for (long long& x : v) x = rng.uniform(0, 30);
    inputs.push_back(v);
  }
  std::vector<long long> none;
  for (long long x = 0; x <= 30 && none.size() < 4; ++x)
    if (!p.pred.eval(x)) none.push_back(x);
  inputs.push_back(none);
  std::vector<Call> calls;
  for (const auto& v : inputs) calls.push_back({gen::cpp_vector(v) + ", " + std::to_string(index), Value::of_int(apply(p, v))});
  return calls;
}

std::vector<Call> guard_calls(int parts, Rng& rng) {
  std::vector<Call> calls;
  for (int op : {parts, parts + static_cast<int>(rng.uniform(1, 5)), -1})
    calls.push_back({gen::cpp_vector({3, 8, 12}) + ", " + std::to_string(op), Value::of_int(kGuard)});
  return calls;
}

// One problem with every part; `id` numbers it within its split.
struct Drawn {
  std::vector<Part> parts;
  std::string body;
  std::vector<std::string> text;
};

Drawn draw_problem(Rng& rng) {
  Drawn d;
  const int n = kParts;
  std::set<std::string> seen;
  while (static_cast<int>(d.parts.size()) < n) {
    Part p{rng.pick(kOps), draw_pred(rng)};
    if (seen.insert(p.op + "/" + p.pred.slug()).second) d.parts.push_back(p);
  }
  CodeWriter w;
  for (int i = 0; i < n; ++i) {
    d.text.push_back(sentence(d.parts[static_cast<size_t>(i)], i, rng));
    emit(d.parts[static_cast<size_t>(i)], i, w);
  }
  d.text.push_back("For any other op, return " + std::to_string(kGuard) + ".");
  w.line("return " + std::to_string(kGuard) + ";");
  d.body = w.finish();
  return d;
}

Problem make(const Drawn& d, const std::string& split, int id, const std::vector<Call>& calls, const std::string& part) {
  Problem p = gen::function_problem("dispatch", "apply_op", "int apply_op(vector<int> a, int op)", d.text, d.body, calls);
  p.task_id = "dispatch/" + split + "_" + std::to_string(id) + (part.empty() ? "" : "/" + part);
  p.difficulty = "hard";
  p.split = split;
  return p;
}

// Every part's calls, the guard's last; part k is named "opK", the guard "guard".
std::vector<std::pair<std::string, std::vector<Call>>> part_calls(const Drawn& d, Rng& rng) {
  std::vector<std::pair<std::string, std::vector<Call>>> out;
  for (size_t i = 0; i < d.parts.size(); ++i)
    out.emplace_back("op" + std::to_string(i), calls_for(d.parts[i], static_cast<int>(i), rng));
  out.emplace_back("guard", guard_calls(static_cast<int>(d.parts.size()), rng));
  return out;
}

std::vector<Call> joined(const std::vector<std::pair<std::string, std::vector<Call>>>& parts) {
  std::vector<Call> all;
  for (const auto& [name, calls] : parts) all.insert(all.end(), calls.begin(), calls.end());
  return all;
}

}  // namespace

DispatchSuite generate_dispatch_suite(const DispatchOptions& o) {
  Rng rng(o.seed ^ 0xd15ba7c4ULL);
  DispatchSuite s;
  for (int i = 0; i < o.sft; ++i) {  // whole problems, every part tested: for SFT
    Drawn d = draw_problem(rng);
    s.sft.push_back(make(d, "sft", i, joined(part_calls(d, rng)), ""));
  }
  for (int i = 0; i < o.pool; ++i) {  // the PPO pool: one or two parts tested, the rest hidden
    Drawn d = draw_problem(rng);
    auto parts = part_calls(d, rng);
    const size_t tested = static_cast<size_t>(rng.uniform(1, 2));
    std::vector<size_t> order(d.parts.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    rng.shuffle(order);
    std::vector<Call> train;
    std::vector<bool> is_tested(parts.size(), false);
    for (size_t k = 0; k < tested; ++k) is_tested[order[k]] = true;
    for (size_t k = 0; k < parts.size(); ++k) {
      if (is_tested[k]) train.insert(train.end(), parts[k].second.begin(), parts[k].second.end());
      else s.hidden.push_back(make(d, "hidden", i, parts[k].second, parts[k].first));
    }
    s.train.push_back(make(d, "train", i, train, ""));
  }
  for (int i = 0; i < o.valid + o.test; ++i) {  // held out, every part tested
    Drawn d = draw_problem(rng);
    const bool valid = i < o.valid;
    const std::string split = valid ? "valid" : "test";
    (valid ? s.valid : s.test).push_back(make(d, split, valid ? i : i - o.valid, joined(part_calls(d, rng)), ""));
  }
  return s;
}

Status write_dispatch_suite(const std::string& dir, const DispatchSuite& s) {
  return gen::write_split_files(dir, {{"sft.jsonl", &s.sft}, {"train.jsonl", &s.train}, {"hidden.jsonl", &s.hidden},
                                      {"valid.jsonl", &s.valid}, {"test.jsonl", &s.test}},
                                 "the dispatch suite");
}

}  // namespace stepcoder::tasks
