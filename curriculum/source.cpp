// The uniform problem source (see source.h).
#include "curriculum/source.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "util/seed.h"

namespace stepcoder::curriculum {
namespace {

class UniformSource : public ProblemSource {
 public:
  UniformSource(std::vector<tasks::Problem> problems, uint64_t seed) : problems_(std::move(problems)), seed_(seed) {}

  std::vector<Item> next(int64_t, int count) override {
    std::vector<Item> items;
    for (int i = 0; i < count && !problems_.empty(); ++i) {
      if (cursor_ % problems_.size() == 0) shuffle(cursor_ / problems_.size());
      const int idx = order_[cursor_ % problems_.size()];
      ++cursor_;
      Item it;
      it.problem = idx, it.stage = 1, it.stages = 1, it.task = problems_[idx];
      items.push_back(std::move(it));
    }
    return items;
  }

  void record(int64_t, const std::vector<Outcome>& outcomes) override {
    for (const Outcome& o : outcomes) attempts_ += 1, passes_ += o.passed;
  }

  Json state() const override { return {{"kind", "uniform"}, {"cursor", cursor_}, {"attempts", attempts_}, {"passes", passes_}}; }

  Status restore(const Json& s) override {
    if (!s.is_object() || s.value("kind", "") != "uniform") return Error("problem source state: not a uniform source");
    cursor_ = s.value("cursor", uint64_t{0}), attempts_ = s.value("attempts", int64_t{0});
    passes_ = s.value("passes", int64_t{0});
    if (!problems_.empty()) shuffle(cursor_ / problems_.size());
    return {};
  }

  Json metrics() const override {
    return {{"stage_hist", {{"1", attempts_}}},
            {"pass_rate_by_stage", {{"1", attempts_ ? static_cast<double>(passes_) / attempts_ : 0.0}}},
            {"advances", 0}};
  }

 private:
  void shuffle(uint64_t pass) {
    order_.resize(problems_.size());
    std::iota(order_.begin(), order_.end(), 0);
    std::mt19937_64 rng(mix_seed(seed_, pass));
    std::shuffle(order_.begin(), order_.end(), rng);
  }

  std::vector<tasks::Problem> problems_;
  uint64_t seed_;
  std::vector<int> order_;
  uint64_t cursor_ = 0;
  int64_t attempts_ = 0, passes_ = 0;
};

}  // namespace

std::unique_ptr<ProblemSource> make_uniform_source(std::vector<tasks::Problem> problems, uint64_t seed) {
  return std::make_unique<UniformSource>(std::move(problems), seed);
}

tasks::Problem with_prefix(const tasks::Problem& p, size_t prefix_bytes) {
  tasks::Problem q = p;
  q.tests = p.judged_tests();  // the entry point as the original prompt declares it
  prefix_bytes = std::min(prefix_bytes, p.canonical_solution.size());
  q.prompt += p.canonical_solution.substr(0, prefix_bytes);
  q.canonical_solution = p.canonical_solution.substr(prefix_bytes);
  return q;
}

}  // namespace stepcoder::curriculum
