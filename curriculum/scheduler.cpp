// The CCCS scheduler (see scheduler.h).
#include "curriculum/scheduler.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>

namespace stepcoder::curriculum {

const char* progress_bucket(int stage, int stages) {
  if (stage >= stages) return "whole";
  const double p = static_cast<double>(stage - 1) / (stages - 1);
  return p < 0.25 ? "0-25%" : p < 0.5 ? "25-50%" : p < 0.75 ? "50-75%" : "75-100%";
}

namespace {

// A generator for one (seed, stream, counter). Seeding mt19937_64 with nearby single integers
// gives correlated first outputs (seeds (s + c) ^ step * k: the first draw of steps 1-6 all fell
// below 0.18), which made a 25% mix pull back the same item every step; seed_seq spreads them.
std::mt19937_64 seeded_rng(uint64_t seed, uint32_t stream, uint64_t counter) {
  std::seed_seq sq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32), stream,
                   static_cast<uint32_t>(counter), static_cast<uint32_t>(counter >> 32)};
  return std::mt19937_64(sq);
}

struct ProblemState {
  int stage = 1;
  std::string window;  // outcomes at the current stage, oldest first: '1' passed, '0' not
  int judged = 0;      // completions judged at the current stage
};

struct Tally {
  int64_t attempts = 0, passes = 0;
};

Json tally_json(const std::map<int, Tally>& by_stage) {
  Json j = Json::object();
  for (const auto& [stage, t] : by_stage) j[std::to_string(stage)] = {t.attempts, t.passes};
  return j;
}

class CccsSource : public ProblemSource {
 public:
  CccsSource(const run::CurriculumConfig& c, std::vector<tasks::Problem> problems, SplitResult split, uint64_t seed)
      : c_(c), problems_(std::move(problems)), split_(std::move(split)), seed_(seed), st_(problems_.size()) {
    if (c_.order == "shuffled") shuffle_stages();
  }

  std::vector<Item> next(int64_t step, int count) override {
    advanced_this_step_ = 0;
    if (c_.advance == "fixed") apply_fixed(step);
    std::vector<Item> items;
    for (int i = 0; i < count && !problems_.empty(); ++i) items.push_back(item(draw_problem(), 0));
    mix_earlier(step, items);
    if (!shown_.empty())
      for (Item& it : items) it = item(it.problem, shown_[it.problem][it.stage - 1]);
    return items;
  }

  void record(int64_t, const std::vector<Outcome>& outcomes) override {
    std::set<int> touched;
    for (const Outcome& o : outcomes) {
      if (o.problem < 0 || o.problem >= static_cast<int>(st_.size())) continue;
      Tally& t = by_stage_[o.stage];
      t.attempts += 1, t.passes += o.passed;
      ProblemState& ps = st_[o.problem];
      if (scheduled_stage(o.problem, o.stage) != ps.stage) continue;  // an earlier stage mixed in: not evidence
      ps.window += o.passed ? '1' : '0';
      if (ps.window.size() > static_cast<size_t>(c_.window)) ps.window.erase(0, ps.window.size() - c_.window);
      ps.judged += 1;
      touched.insert(o.problem);
    }
    if (c_.advance != "performance") return;
    for (int p : touched)
      if (ready(st_[p])) advance(p);
  }

  Json state() const override {
    Json stage = Json::array(), window = Json::array(), judged = Json::array(), stages = Json::array();
    for (size_t i = 0; i < st_.size(); ++i) {
      stage.push_back(st_[i].stage), window.push_back(st_[i].window), judged.push_back(st_[i].judged);
      stages.push_back(split_.problems[i].stages());
    }
    return {{"kind", "cccs"},       {"cursor", cursor_},   {"advances", advances_},
            {"advanced_this_step", advanced_this_step_}, {"fixed_epochs", fixed_epochs_},
            {"stages", stages},     {"stage", stage},      {"window", window},
            {"judged", judged},     {"by_stage", tally_json(by_stage_)}};
  }

  Status restore(const Json& s) override {
    if (!s.is_object() || s.value("kind", "") != "cccs") return Error("problem source state: not a CCCS scheduler");
    try {
      return restore_fields(s);
    } catch (const Json::exception& e) {
      return Error(std::string("problem source state: ") + e.what());
    }
  }

  Json metrics() const override;

 private:
  int stages(int p) const { return split_.problems[p].stages(); }

  Item item(int p, int stage) const {
    Item it;
    it.problem = p, it.stage = stage > 0 ? stage : st_[p].stage, it.stages = stages(p);
    it.task = stage_problem(problems_[p], split_.problems[p], it.stage);
    return it;
  }

  // curriculum.order: shuffled. shown_[p][k-1] is the stage shown when the schedule says k: a
  // permutation of 1..stages drawn from the seed and the problem alone, so it needs no state.
  void shuffle_stages() {
    shown_.resize(problems_.size());
    for (size_t p = 0; p < problems_.size(); ++p) {
      shown_[p].resize(static_cast<size_t>(stages(static_cast<int>(p))));
      std::iota(shown_[p].begin(), shown_[p].end(), 1);
      std::mt19937_64 rng = seeded_rng(seed_, /*stream=*/3, p);
      std::shuffle(shown_[p].begin(), shown_[p].end(), rng);
    }
  }

  // The scheduled stage of an outcome at shown stage `stage`.
  int scheduled_stage(int p, int stage) const {
    if (shown_.empty()) return stage;
    const auto& perm = shown_[static_cast<size_t>(p)];
    return static_cast<int>(std::find(perm.begin(), perm.end(), stage) - perm.begin()) + 1;
  }

  // Problems in a seeded order, reshuffled each pass, so every problem is drawn equally often.
  int draw_problem() {
    const size_t n = problems_.size();
    if (cursor_ % n == 0 || order_.size() != n) shuffle(cursor_ / n);
    return order_[cursor_++ % n];
  }

  void shuffle(uint64_t pass) {
    order_.resize(problems_.size());
    std::iota(order_.begin(), order_.end(), 0);
    std::mt19937_64 rng = seeded_rng(seed_, /*stream=*/1, pass);
    std::shuffle(order_.begin(), order_.end(), rng);
  }

  // A mix_earlier share of the items past stage 1 (stage-1 items have no earlier stage) go
  // back to an earlier stage drawn uniformly. The share is taken of those items, not of the
  // whole batch: early in training only a few problems are past stage 1, and a share of the
  // batch would pull every one of them back each time, so none could train at (and advance
  // past) its current stage. Fractional counts are rounded up with that probability, so the
  // expected share is exact and every draw still follows from (seed, step).
  void mix_earlier(int64_t step, std::vector<Item>& items) {
    if (c_.mix_earlier <= 0) return;
    std::mt19937_64 rng = seeded_rng(seed_, /*stream=*/2, static_cast<uint64_t>(step));
    std::vector<size_t> eligible;
    for (size_t i = 0; i < items.size(); ++i)
      if (items[i].stage > 1) eligible.push_back(i);
    const double x = c_.mix_earlier * static_cast<double>(eligible.size());
    size_t want = static_cast<size_t>(std::floor(x));
    if (static_cast<double>(rng() >> 11) * 0x1.0p-53 < x - static_cast<double>(want)) ++want;
    std::shuffle(eligible.begin(), eligible.end(), rng);
    for (size_t k = 0; k < want && k < eligible.size(); ++k) {
      Item& it = items[eligible[k]];
      const int earlier = 1 + static_cast<int>(rng() % static_cast<uint64_t>(it.stage - 1));
      it = item(it.problem, earlier);
    }
  }

  bool ready(const ProblemState& ps) const {
    if (ps.judged < c_.min_attempts || ps.window.empty()) return false;
    const double rate = static_cast<double>(std::count(ps.window.begin(), ps.window.end(), '1')) / ps.window.size();
    return rate >= c_.threshold;
  }

  // One stage up (never more), with fresh evidence at the new stage.
  void advance(int p) {
    ProblemState& ps = st_[p];
    if (ps.stage >= stages(p)) return;
    ps.stage += 1, ps.window.clear(), ps.judged = 0;
    ++advances_, ++advanced_this_step_;
  }

  void apply_fixed(int64_t step) {
    const int64_t due = std::max<int64_t>(0, step) / c_.fixed_every;
    for (; fixed_epochs_ < due; ++fixed_epochs_)
      for (size_t p = 0; p < st_.size(); ++p) advance(static_cast<int>(p));
  }

  Status restore_fields(const Json& s) {
    const Json& stages_saved = s.at("stages");
    if (stages_saved.size() != st_.size())
      return Error("problem source state: saved for " + std::to_string(stages_saved.size()) + " problems, this run has " +
                   std::to_string(st_.size()) + " (the training file changed?)");
    for (size_t i = 0; i < st_.size(); ++i) {
      if (stages_saved.at(i).get<int>() != stages(static_cast<int>(i)))
        return Error("problem source state: " + problems_[i].task_id + " had " + stages_saved[i].dump() +
                     " stages when saved, now " + std::to_string(stages(static_cast<int>(i))) +
                     " (curriculum.split, max_stages or the problem changed?)");
    }
    for (size_t i = 0; i < st_.size(); ++i) {
      st_[i].stage = std::clamp(s.at("stage").at(i).get<int>(), 1, stages(static_cast<int>(i)));
      st_[i].window = s.at("window").at(i).get<std::string>();
      st_[i].judged = s.at("judged").at(i).get<int>();
    }
    by_stage_.clear();
    for (const auto& [k, v] : s.at("by_stage").items()) by_stage_[std::stoi(k)] = {v[0].get<int64_t>(), v[1].get<int64_t>()};
    cursor_ = s.at("cursor").get<uint64_t>(), advances_ = s.at("advances").get<int64_t>();
    advanced_this_step_ = s.at("advanced_this_step").get<int64_t>(), fixed_epochs_ = s.at("fixed_epochs").get<int64_t>();
    order_.clear();  // reshuffled for the cursor's pass on the next draw
    if (!problems_.empty()) shuffle(cursor_ / problems_.size());
    return {};
  }

  run::CurriculumConfig c_;
  std::vector<tasks::Problem> problems_;
  SplitResult split_;
  uint64_t seed_;
  std::vector<ProblemState> st_;
  std::vector<int> order_;
  uint64_t cursor_ = 0;
  std::map<int, Tally> by_stage_;  // every recorded outcome, by the stage drawn
  std::vector<std::vector<int>> shown_;  // curriculum.order: shuffled (see shuffle_stages)
  int64_t advances_ = 0, advanced_this_step_ = 0, fixed_epochs_ = 0;
};

Json CccsSource::metrics() const {
  Json hist = Json::object(), rel = {{"0-25%", 0}, {"25-50%", 0}, {"50-75%", 0}, {"75-100%", 0}, {"whole", 0}};
  double progress = 0;
  int split = 0;
  for (size_t p = 0; p < st_.size(); ++p) {
    const int S = stages(static_cast<int>(p)), s = st_[p].stage;
    const std::string key = std::to_string(s);
    hist[key] = hist.value(key, 0) + 1;
    rel[progress_bucket(s, S)] = rel[progress_bucket(s, S)].get<int>() + 1;
    if (S > 1) progress += static_cast<double>(s - 1) / (S - 1), ++split;
  }
  Json rates = Json::object(), attempts = Json::object();
  for (const auto& [stage, t] : by_stage_) {
    rates[std::to_string(stage)] = t.attempts ? static_cast<double>(t.passes) / t.attempts : 0.0;
    attempts[std::to_string(stage)] = t.attempts;
  }
  return {{"stage_hist", hist},
          {"stage_hist_relative", rel},
          {"pass_rate_by_stage", rates},
          {"attempts_by_stage", attempts},
          {"advances", advances_},
          {"advanced_this_step", advanced_this_step_},
          // Over problems that have a curriculum; problems kept whole count in "whole" only.
          {"mean_progress", split ? progress / split : 1.0},
          {"problems_split", split},
          {"problems_unsplit", static_cast<int>(split_.unsplit_ids.size())}};
}

}  // namespace

std::unique_ptr<ProblemSource> make_cccs_source(const run::CurriculumConfig& c, std::vector<tasks::Problem> problems,
                                                SplitResult split, uint64_t seed) {
  split.problems.resize(problems.size());  // a short split list leaves the rest whole
  return std::make_unique<CccsSource>(c, std::move(problems), std::move(split), seed);
}

}  // namespace stepcoder::curriculum
