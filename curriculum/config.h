// Configuration of the curriculum (`curriculum:` in a run config) and the factory that turns
// it into the trainer's problem source.
//
//   CurriculumConfig cc;  describe(cc, schema);        // curriculum.*
//   auto src = make_source(cc, train_problems, seed);  // uniform when !cc.enabled
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "curriculum/source.h"
#include "util/config.h"

namespace stepcoder::curriculum {

struct CurriculumConfig {
  bool enabled = false;            // CCCS; false = whole programs from the start
  std::string split = "control";   // split points: "control" (if/loop statements), "statement", "line"
  int max_stages = 0;              // cap on stages per problem (0 = every split point)
  std::string advance = "performance";  // "fixed" (every fixed_every steps) or "performance"
  int64_t fixed_every = 50;        // steps per stage under "fixed"
  double threshold = 0.5;          // pass rate at the current stage that advances a problem
  int min_attempts = 4;            // completions judged at the stage before it may advance
  int window = 8;                  // recent completions the pass rate is taken over
  double mix_earlier = 0.1;        // share of items past stage 1 drawn at an earlier stage
};

void describe(CurriculumConfig& c, ConfigSchema& schema, const std::string& prefix = "curriculum");

// The source a training run draws from: the CCCS scheduler when enabled, else uniform.
// Errors (e.g. no problem has a canonical solution to split) come back before training.
Expected<std::unique_ptr<ProblemSource>> make_source(const CurriculumConfig& c, std::vector<tasks::Problem> problems,
                                                     uint64_t seed);
// The same; when the curriculum is on, `split_summary` (optional) receives the splitter's
// one-line report for the log: problems split, mean stages, which were kept whole and why.
Expected<std::unique_ptr<ProblemSource>> make_source(const CurriculumConfig& c, std::vector<tasks::Problem> problems,
                                                     uint64_t seed, std::string* split_summary);

// A source that replays the (problem, stage) schedule recorded in RUN_DIR/episodes.sqlite,
// step by step, so two configurations can be compared on the same curriculum.
Expected<std::unique_ptr<ProblemSource>> make_replay_source(const std::string& run_dir,
                                                            std::vector<tasks::Problem> problems);

}  // namespace stepcoder::curriculum
