// Replaying a recorded run's curriculum: the (problem, stage) items each step drew, rebuilt
// from RUN_DIR/episodes.sqlite. make_replay_source (config.h) serves them step by step so a
// second configuration trains on exactly the same schedule; `stepcoder replay --stages` prints
// how each problem moved through its stages.
//
//   auto rows = store->read_schedule();
//   auto steps = recorded_schedule(*rows, run->samples_per_prompt);
//   for (const RecordedStep& s : steps) for (const RecordedItem& it : s.items) use(it.task_id, it.stage);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "run/episode_store.h"

namespace stepcoder::curriculum {

struct RecordedItem {
  std::string task_id;
  int stage = 1;
  int stages = 1;
};

struct RecordedStep {
  int64_t step = 0;
  std::vector<RecordedItem> items;  // in the order the step drew them
};

// The trainer stores `samples_per_prompt` consecutive rows per item (problem-major), so a
// step's rows are cut into runs of that length when they divide evenly into runs of one
// (task, stage); otherwise (an older or different run) consecutive rows of the same task and
// stage make one item. Rows must be ordered by (step, index).
std::vector<RecordedStep> recorded_schedule(const std::vector<run::ScheduleRow>& rows, int samples_per_prompt);

}  // namespace stepcoder::curriculum
