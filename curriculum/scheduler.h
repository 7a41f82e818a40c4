// The CCCS scheduler: a ProblemSource that keeps each problem at a curriculum stage and moves
// it towards the whole program (StepCoder's curriculum of code-completion subtasks).
// Every problem starts at stage 1 (complete only the end of its canonical solution) and
// advances one stage at a time: every `fixed_every` steps ("fixed"), or when its pass rate over
// the last `window` completions at its current stage reaches `threshold` with at least
// `min_attempts` judged there ("performance"). A `mix_earlier` share of the items past stage 1
// is drawn at an earlier stage of its problem against forgetting; outcomes count for the stage
// drawn.
//
//   SplitResult split = split_problems(problems, {cfg.split, cfg.max_stages});
//   auto src = make_cccs_source(cfg, problems, std::move(split), seed);
//   auto items = src->next(step, 8);  ...  src->record(step, outcomes);
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "curriculum/make_source.h"
#include "curriculum/source.h"
#include "curriculum/splitter.h"

namespace stepcoder::curriculum {

// `split` holds one ProblemSplit per problem (split_problems over the same list).
std::unique_ptr<ProblemSource> make_cccs_source(const run::CurriculumConfig& c, std::vector<tasks::Problem> problems,
                                                SplitResult split, uint64_t seed);

// The relative-progress bucket of a problem at `stage` of `stages`: "0-25%", "25-50%",
// "50-75%", "75-100%" by (stage-1)/(stages-1), or "whole" at the last stage.
const char* progress_bucket(int stage, int stages);

}  // namespace stepcoder::curriculum
