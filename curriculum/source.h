// Which problems a PPO step trains on, and at which curriculum stage. The trainer asks a
// source for each step's problems, reports the judged outcomes back, and saves the source's
// state in every checkpoint so `--resume` draws exactly what an uninterrupted run would.
//
// A curriculum stage is just a problem whose prompt carries part of the canonical solution:
// stage s of S gives the solution's prefix up to the s-th split point counted from the end
// (stage 1: complete only the last part), stage S gives no solution code (the whole program).
// `Item::task` is that problem, so sampling, judging and coverage need not know about stages.
//
//   auto src = make_uniform_source(train, seed);          // no curriculum: whole programs
//   for (int64_t step = 0; ...) {
//     std::vector<Item> items = src->next(step, 8);
//     ... sample, judge ...
//     src->record(step, outcomes);                         // one Outcome per completion
//   }
//   Json saved = src->state();   ...   src->restore(saved);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tasks/problem.h"
#include "util/expected.h"
#include "util/jsonl.h"

namespace stepcoder::curriculum {

struct Item {
  int problem = 0;     // index into the source's problems
  int stage = 1;       // 1..stages; stages = whole program
  int stages = 1;      // 1 when the problem has no split points (or no curriculum)
  tasks::Problem task; // prompt + the given prefix; canonical_solution = the remainder
};

struct Outcome {
  int problem = 0;
  int stage = 1;
  bool passed = false;
  double pass_ratio = 0;
};

class ProblemSource {
 public:
  virtual ~ProblemSource() = default;
  // The `count` items of `step`; a function of the seed, the step and the recorded outcomes.
  virtual std::vector<Item> next(int64_t step, int count) = 0;
  // Outcomes of the completions of `step`'s items (any number per item).
  virtual void record(int64_t step, const std::vector<Outcome>& outcomes) = 0;
  // Everything needed to continue exactly (JSON, stored in checkpoints).
  virtual Json state() const = 0;
  virtual Status restore(const Json& state) = 0;
  // For metrics.jsonl: {"stage_hist": {"1": n, ...}, "pass_rate_by_stage": {...}, "advances": n}.
  virtual Json metrics() const = 0;
};

// Whole programs only, problems drawn without replacement in a seeded order that is
// reshuffled each pass over the problems.
std::unique_ptr<ProblemSource> make_uniform_source(std::vector<tasks::Problem> problems, uint64_t seed);

// The problem at a stage: prompt + solution[0, prefix_bytes), canonical solution the rest.
tasks::Problem with_prefix(const tasks::Problem& p, size_t prefix_bytes);

}  // namespace stepcoder::curriculum
