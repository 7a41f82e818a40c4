// Configuration of the curriculum (`curriculum:` in a run config): CCCS on or off, where
// canonical solutions are split, and when a problem moves to its next stage. Plain structs; the
// scheduler that reads them is curriculum/make_source.h.
//
//   CurriculumConfig cc;  describe(cc, schema);        // curriculum.*
#pragma once

#include <cstdint>
#include <string>

namespace stepcoder {
class ConfigSchema;
}

namespace stepcoder::run {

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
  // "forward" (CCCS) or "shuffled": a control that keeps the schedule (how many steps each
  // problem spends at its k-th stage) but presents the stages of each problem in a seeded
  // random order, so partial-program practice stays and only the order goes.
  std::string order = "forward";
};

void describe(CurriculumConfig& c, ConfigSchema& schema, const std::string& prefix = "curriculum");

}  // namespace stepcoder::run
