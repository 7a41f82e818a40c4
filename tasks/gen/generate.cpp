// Suite generation: enumerate compositional candidates, decide which are held out and why,
// pick per-family and per-kind quotas, split, and write JSONL. See generate.h and SUITE.md.
#include "tasks/gen/generate.h"

#include <algorithm>
#include <map>
#include <set>

#include "tasks/gen/internal.h"
#include "tasks/problem_io.h"
#include "util/files.h"

namespace stepcoder::tasks {

using gen::Combo;

const std::vector<HoldoutShare>& holdout_shares() {
  static const std::vector<HoldoutShare> shares = {
      {"cross", 30}, {"two_param", 25}, {"char", 20}, {"swap", 15}, {"and", 10}};
  return shares;
}

namespace {

bool in(const std::string& s, std::initializer_list<const char*> options) {
  for (const char* o : options) {
    if (s == o) return true;
  }
  return false;
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

int ri(Rng& rng, int lo, int hi) { return static_cast<int>(rng.uniform(lo, hi)); }

// Parameter values per predicate kind and setting; wide enough that every value shows up in
// many training problems.
std::vector<int> sample_params(const std::string& kind, const std::string& setting, Rng& rng) {
  bool digits = setting == "digits";
  if (in(kind, {"greater", "less", "at_least", "at_most"})) {
    if (digits) return {ri(rng, 1, 8)};
    return {setting == "range" ? ri(rng, 2, 30) : ri(rng, 1, 20)};
  }
  if (in(kind, {"equal", "not_equal"})) return {digits ? ri(rng, 0, 9) : ri(rng, 0, 20)};
  if (in(kind, {"divisible", "not_divisible"})) return {digits ? ri(rng, 2, 4) : ri(rng, 2, 9)};
  if (kind == "ends_in") return {ri(rng, 0, 9)};
  if (kind == "between") {
    int lo = digits ? ri(rng, 0, 5) : ri(rng, 0, 15);
    return {lo, digits ? std::min(9, lo + ri(rng, 1, 4)) : lo + ri(rng, 2, 12)};
  }
  if (kind == "remainder") {
    int k = digits ? ri(rng, 2, 4) : ri(rng, 3, 7);
    return {ri(rng, 1, k - 1), k};
  }
  if (in(kind, {"char", "not_char"})) return {ri(rng, 'a', 'z')};
  if (kind == "after") return {ri(rng, 'b', 'y')};
  if (kind == "char_between") {
    int lo = ri(rng, 'a', 's');
    return {lo, lo + ri(rng, 2, 7)};
  }
  return {};
}

const std::vector<std::string> kAndFirst = {"even", "odd", "positive", "negative"};
const std::vector<std::string> kAndSecond = {"greater", "less", "divisible", "not_equal"};
// Character joins put letters next to every string operation in train.
const std::vector<std::string> kAndFirstChar = {"lower", "letter", "vowel"};
const std::vector<std::string> kAndSecondChar = {"not_char", "after"};

struct HoldoutPlan {
  std::set<std::string> swap;      // "setting|op|kind"
  std::set<std::string> and_test;  // "and(first,second)"
};

HoldoutPlan make_plan(Rng& rng) {
  HoldoutPlan plan;
  const std::map<std::string, std::vector<std::string>> simple = {
      {"array", {"even", "odd", "positive", "negative", "greater", "less", "at_most", "equal", "not_equal", "divisible"}},
      {"io", {"even", "odd", "positive", "negative", "greater", "less", "at_most", "equal", "not_equal", "divisible"}},
      {"string", {"vowel", "upper", "lower", "digit", "letter", "space"}}};
  // One (operation, predicate) pair per operation, each predicate losing as few partners as
  // possible, so both halves of every held-out pair stay common in train.
  for (const auto& [setting, kinds] : simple) {
    std::vector<std::string> pool = kinds;
    rng.shuffle(pool);
    size_t next = 0;
    for (const std::string& op : gen::ops_of(setting)) {
      for (size_t tries = 0; tries < pool.size(); ++tries) {
        const std::string& kind = pool[(next + tries) % pool.size()];
        Pred p = make_pred(kind, sample_params(kind, setting, rng));
        if (!gen::op_accepts(setting, op, p)) continue;
        plan.swap.insert(setting + "|" + op + "|" + kind);
        next += tries + 1;
        break;
      }
    }
  }
  std::vector<size_t> perm = {0, 1, 2, 3};
  rng.shuffle(perm);
  for (size_t k = 0; k < 4; ++k) {
    if (kAndFirst[k] == "negative" && kAndSecond[perm[k]] == "greater") continue;
    plan.and_test.insert("and(" + kAndFirst[k] + "," + kAndSecond[perm[k]] + ")");
  }
  plan.and_test.insert("and(" + rng.pick(kAndFirstChar) + "," + rng.pick(kAndSecondChar) + ")");
  return plan;
}

std::string holdout_of(const Combo& c, const HoldoutPlan& plan) {
  const std::string kind = c.pred.kind;
  if (in(kind, {"char", "not_char", "after", "char_between"})) {
    return in(c.op, {"count", "remove", "replace"}) ? "" : "char";
  }
  if (in(kind, {"between", "remainder"})) {
    return c.setting == "array" && in(c.op, {"sum", "count", "filter"}) ? "" : "two_param";
  }
  if (in(kind, {"at_least", "not_divisible", "ends_in"})) return c.setting == "array" ? "" : "cross";
  if (kind == "and") return plan.and_test.count(c.pred.kind_key()) ? "and" : "";
  return plan.swap.count(c.setting + "|" + c.op + "|" + kind) ? "swap" : "";
}

std::vector<Pred> predicates_for(const std::string& setting, Rng& rng) {
  std::vector<Pred> out = {Pred()};
  const int instances = 20;
  for (const std::string& kind : pred_kinds(setting == "string")) {
    if (kind == "char" || kind == "not_char") {  // every letter, so each is seen in train
      for (int c = 'a'; c <= 'z'; ++c) out.push_back(make_pred(kind, {c}));
      continue;
    }
    for (int k = 0; k < instances; ++k) {
      out.push_back(make_pred(kind, sample_params(kind, setting, rng)));
      if (pred_param_count(kind) == 0) break;
    }
  }
  if (setting == "array" || setting == "io") {
    for (const std::string& a : kAndFirst) {
      for (const std::string& b : kAndSecond) {
        if (a == "negative" && b == "greater") continue;
        for (int k = 0; k < 3; ++k) out.push_back(make_and(make_pred(a), make_pred(b, sample_params(b, setting, rng))));
      }
    }
  }
  if (setting == "string") {
    for (const std::string& a : kAndFirstChar) {
      for (const std::string& b : kAndSecondChar) {
        for (int k = 0; k < 8; ++k) out.push_back(make_and(make_pred(a), make_pred(b, sample_params(b, setting, rng))));
      }
    }
  }
  return out;
}

std::vector<Combo> candidates(Rng& rng) {
  static const std::vector<char> replacements = {'*', '#', '-', '_', '?', 'x', 'z'};
  std::vector<Combo> out;
  std::set<std::string> seen;
  for (const std::string& setting : gen::settings()) {
    std::vector<Pred> preds = predicates_for(setting, rng);
    for (const std::string& op : gen::ops_of(setting)) {
      for (const Pred& p : preds) {
        if (!gen::op_accepts(setting, op, p)) continue;
        Combo c{setting, op, p, rng.pick(replacements)};
        if (seen.insert(gen::family_of(c) + "/" + gen::combo_name(c)).second) out.push_back(c);
      }
    }
  }
  return out;
}

Problem build(const Combo& c, uint64_t seed) {
  Rng rng(seed ^ fnv1a(gen::family_of(c) + "/" + gen::combo_name(c)));
  return gen::build_combo(c, rng);
}

}  // namespace

namespace {

// Takes up to n combos, alternating between families so no family dominates.
std::vector<Combo> round_robin(std::vector<Combo> combos, size_t n, Rng& rng) {
  std::map<std::string, std::vector<Combo>> by_family;
  for (Combo& c : combos) by_family[gen::family_of(c)].push_back(std::move(c));
  std::vector<std::vector<Combo>> queues;
  for (auto& [family, v] : by_family) {
    rng.shuffle(v);
    queues.push_back(std::move(v));
  }
  rng.shuffle(queues);
  std::vector<Combo> out;
  for (size_t round = 0; out.size() < n; ++round) {
    bool any = false;
    for (auto& q : queues) {
      if (round < q.size() && out.size() < n) {
        out.push_back(q[round]);
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}

void finish_split(std::vector<Problem>& v, const char* split) {
  std::sort(v.begin(), v.end(), [](const Problem& a, const Problem& b) { return a.task_id < b.task_id; });
  for (Problem& p : v) p.split = split;
}

}  // namespace

Suite generate_suite(const GenerateOptions& opts) {
  Rng rng(opts.seed);
  HoldoutPlan plan = make_plan(rng);
  std::map<std::string, std::vector<Combo>> eligible, held;
  for (Combo& c : candidates(rng)) {
    std::string h = holdout_of(c, plan);
    (h.empty() ? eligible[gen::family_of(c)] : held[h]).push_back(std::move(c));
  }
  std::vector<Problem> in_dist;
  for (auto& [family, combos] : eligible) {
    rng.shuffle(combos);
    size_t n = std::min(combos.size(), static_cast<size_t>(std::max(0, opts.per_family)));
    for (size_t k = 0; k < n; ++k) in_dist.push_back(build(combos[k], opts.seed));
  }
  Rng fixed_rng(opts.seed ^ 0x9e3779b97f4a7c15ULL);
  for (Problem& p : gen::fixed_problems(fixed_rng)) in_dist.push_back(std::move(p));

  Suite suite;
  rng.shuffle(in_dist);
  size_t n_valid = in_dist.size() * static_cast<size_t>(std::clamp(opts.valid_percent, 0, 100)) / 100;
  for (size_t k = 0; k < in_dist.size(); ++k) {
    (k < n_valid ? suite.valid : suite.train).push_back(std::move(in_dist[k]));
  }
  for (const HoldoutShare& share : holdout_shares()) {
    size_t quota = static_cast<size_t>(std::max(0, opts.test_size)) * static_cast<size_t>(share.percent) / 100;
    for (const Combo& c : round_robin(held[share.kind], quota, rng)) {
      Problem p = build(c, opts.seed);
      p.holdout = share.kind;
      suite.test.push_back(std::move(p));
    }
  }
  finish_split(suite.train, "train");
  finish_split(suite.valid, "valid");
  finish_split(suite.test, "test");
  return suite;
}

Status write_suite(const std::string& dir, const Suite& suite) {
  return gen::write_split_files(dir, {{"train.jsonl", &suite.train}, {"valid.jsonl", &suite.valid},
                                      {"test.jsonl", &suite.test}},
                                 "suite");
}

}  // namespace stepcoder::tasks
