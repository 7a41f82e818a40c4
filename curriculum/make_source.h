// The factory that turns a run's curriculum configuration (run/curriculum_config.h) into the
// trainer's problem source.
//
//   auto src = make_source(cfg.curriculum, train_problems, seed);  // uniform when !enabled
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "curriculum/source.h"
#include "run/curriculum_config.h"
#include "util/expected.h"

namespace stepcoder::curriculum {

// The source a training run draws from: the CCCS scheduler when enabled, else uniform.
// Errors (e.g. no problem has a canonical solution to split) come back before training.
Expected<std::unique_ptr<ProblemSource>> make_source(const run::CurriculumConfig& c, std::vector<tasks::Problem> problems,
                                                     uint64_t seed);
// The same; when the curriculum is on, `split_summary` (optional) receives the splitter's
// one-line report for the log: problems split, mean stages, which were kept whole and why.
Expected<std::unique_ptr<ProblemSource>> make_source(const run::CurriculumConfig& c, std::vector<tasks::Problem> problems,
                                                     uint64_t seed, std::string* split_summary);

// A source that replays the (problem, stage) schedule recorded in RUN_DIR/episodes.sqlite,
// step by step, so two configurations can be compared on the same curriculum.
Expected<std::unique_ptr<ProblemSource>> make_replay_source(const std::string& run_dir,
                                                            std::vector<tasks::Problem> problems);

}  // namespace stepcoder::curriculum
