// Curriculum configuration and the source factory (see config.h).
#include "curriculum/config.h"

#include <algorithm>

#include "curriculum/scheduler.h"
#include "curriculum/splitter.h"

namespace stepcoder::curriculum {

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
}

Expected<std::unique_ptr<ProblemSource>> make_source(const CurriculumConfig& c, std::vector<tasks::Problem> problems,
                                                     uint64_t seed) {
  return make_source(c, std::move(problems), seed, nullptr);
}

Expected<std::unique_ptr<ProblemSource>> make_source(const CurriculumConfig& c, std::vector<tasks::Problem> problems,
                                                     uint64_t seed, std::string* split_summary) {
  if (problems.empty()) return Error("no training problems");
  if (!c.enabled) return make_uniform_source(std::move(problems), seed);
  if (!is_split_kind(c.split)) return Error("curriculum.split: '" + c.split + "' is not control, statement or line");
  const auto with_solution = std::count_if(problems.begin(), problems.end(),
                                           [](const tasks::Problem& p) { return !p.canonical_solution.empty(); });
  if (with_solution == 0)
    return Error("curriculum.enabled: none of the " + std::to_string(problems.size()) +
                 " training problems has a canonical solution to split\n---> HINT: add canonical_solution to the "
                 "training file, or set curriculum.enabled: false");
  SplitOptions so;
  so.kind = c.split, so.max_stages = c.max_stages, so.cache_dir = default_split_cache_dir();
  SplitResult split = split_problems(problems, so);
  if (split_summary) *split_summary = split.summary();
  return make_cccs_source(c, std::move(problems), std::move(split), seed);
}

}  // namespace stepcoder::curriculum
