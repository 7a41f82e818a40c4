// The few keys of a recorded run's RUN_DIR/config.yaml (the resolved config the trainer
// writes) that replaying it needs: how its curriculum split problems, how many completions it
// sampled per problem, where its training problems came from, how it shaped rewards, and (for
// `stepcoder report`) which SFT run it started from.
// Read with yaml-cpp, not the full schema, so replay does not depend on the trainer's sections.
//
//   auto run = read_recorded_run("runs/x");
//   if (!run) die(run.error());
//   split_problems(problems, {run->curriculum.split, run->curriculum.max_stages});
#pragma once

#include <string>

#include "curriculum/config.h"
#include "run/reward.h"
#include "util/expected.h"

namespace stepcoder::curriculum {

struct RecordedRun {
  CurriculumConfig curriculum;                        // curriculum.*
  int samples_per_prompt = 4;                         // ppo.samples_per_prompt
  bool fgo = true;                                    // ppo.fgo: masks and line marks from coverage
  run::RewardConfig rewards;                             // ppo.rewards.*
  std::string train_file = "examples/suite/train.jsonl";  // sft.train_file
  // sft.run_dir when the run continues that SFT run (train.run_sft_first, or train.init one of
  // its checkpoints); empty otherwise.
  std::string sft_run_dir;
};

// Missing keys keep the defaults above (the trainer's); a missing or malformed file is an error.
Expected<RecordedRun> read_recorded_run(const std::string& run_dir);

}  // namespace stepcoder::curriculum
