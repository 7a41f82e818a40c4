// Curriculum configuration keys (see curriculum_config.h).
#include "run/curriculum_config.h"

#include "util/config.h"

namespace stepcoder::run {

void describe(CurriculumConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".enabled", &c.enabled, "curriculum of code-completion subtasks (CCCS); false = whole programs");
  s.add(p + ".split", &c.split, "split points in canonical solutions").choices({"control", "statement", "line"});
  s.add(p + ".max_stages", &c.max_stages, "most stages per problem (0 = one per split point, plus the whole program)").range(0, 1000);
  s.add(p + ".advance", &c.advance, "when a problem moves to its next stage").choices({"fixed", "performance"});
  s.add(p + ".fixed_every", &c.fixed_every, "steps per stage when advance is fixed").range(1, 1e9);
  s.add(p + ".threshold", &c.threshold, "recent pass rate at a stage that advances the problem").range(0, 1);
  s.add(p + ".min_attempts", &c.min_attempts, "judged completions at a stage before it may advance").range(1, 1e6);
  s.add(p + ".window", &c.window, "recent completions the pass rate is taken over").range(1, 1e6);
  s.add(p + ".mix_earlier", &c.mix_earlier, "share of the items past stage 1 drawn at an earlier stage (against forgetting)").range(0, 1);
  s.add(p + ".order", &c.order,
        "forward: stage 1 (the end of the solution) first, the whole program last; shuffled: a control, the same schedule with each problem's stages in a seeded random order")
      .choices({"forward", "shuffled"});
}

}  // namespace stepcoder::run
