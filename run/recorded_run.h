// A recorded run's configuration: RUN_DIR/config.yaml, the resolved config the trainer writes,
// read back through the same schema the trainer loaded it with (train_run_schema), so replay
// and the report see every key with the trainer's own defaults and checks. Also which SFT run
// a PPO run started from, for `stepcoder report`.
//
//   auto rec = read_recorded_run("runs/x");
//   if (!rec) die(rec.error());
//   split_problems(problems, {rec->config.curriculum.split, rec->config.curriculum.max_stages});
#pragma once

#include <string>

#include "run/train_config.h"
#include "util/expected.h"

namespace stepcoder::run {

struct RecordedRun {
  TrainRunConfig config;
  // sft.run_dir when the run continues that SFT run (train.run_sft_first, or train.init one of
  // its checkpoints); empty otherwise.
  std::string sft_run_dir;
};

// A missing file, a malformed one, or a key the schema rejects is an error naming the file
// (and the line). A run whose config.yaml holds only SFT sections reads with the defaults for
// the rest.
Expected<RecordedRun> read_recorded_run(const std::string& run_dir);

}  // namespace stepcoder::run
