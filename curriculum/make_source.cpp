// The problem source a run draws from (see make_source.h).
#include "curriculum/make_source.h"

#include <algorithm>

#include "curriculum/scheduler.h"
#include "curriculum/splitter.h"

namespace stepcoder::curriculum {

Expected<std::unique_ptr<ProblemSource>> make_source(const run::CurriculumConfig& c, std::vector<tasks::Problem> problems,
                                                     uint64_t seed) {
  return make_source(c, std::move(problems), seed, nullptr);
}

Expected<std::unique_ptr<ProblemSource>> make_source(const run::CurriculumConfig& c, std::vector<tasks::Problem> problems,
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
