// The episode store: every judged completion of a training run in `RUN_DIR/episodes.sqlite`,
// one row per (step, index), written in one transaction per step so a crash leaves whole
// steps only. `--resume` deletes rows of steps after the checkpoint before continuing, so
// every episode of a finished step is stored exactly once. `stepcoder replay` and
// `stepcoder report` read it back.
//
//   auto store = EpisodeStore::open("runs/x/episodes.sqlite");
//   if (!store) die(store.error());
//   store->append(step, rows);                 // one transaction
//   store->truncate_after(resumed_step);       // drop steps > resumed_step
//   auto rows = store->read(10, 20);           // steps [10, 20]
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/expected.h"

struct sqlite3;

namespace stepcoder::run {

struct EpisodeRow {
  int64_t step = 0;
  int index = 0;           // position within the step
  std::string task_id;
  int stage = 1;           // curriculum stage (1..stages); stages == whole program
  int stages = 1;
  std::string prompt;      // as shown to the model (prefix of the stage included)
  std::string completion;
  std::string verdict;     // sandbox::verdict_name
  double reward = 0;       // summed over tokens, KL penalty included
  double task_reward = 0;  // the same without the KL penalty (what replay can recompute)
  double pass_ratio = 0;
  double kl = 0;
  int tokens = 0;
  double kept_fraction = 1;
  std::string mask;        // one '0'/'1' per completion token (FGO mask)
  std::string token_ends;  // comma-separated end byte offset of each token in the completion
  std::string lines;       // per program line: '.' no code, '+' executed, '-' not executed, '!' error line
  std::string message;     // the judge's one-line reason
  std::string isolation;   // sandbox::isolation_name: where the tests ran ("in_process" is the
                           // weaker fallback); "" in stores written before it was recorded
};

// Which problem, at which stage, each stored completion was drawn for: the schedule columns of
// EpisodeRow only, for replaying a run's curriculum without reading programs back.
struct ScheduleRow {
  int64_t step = 0;
  int index = 0;
  std::string task_id;
  int stage = 1;
  int stages = 1;
};

class EpisodeStore {
 public:
  static Expected<std::unique_ptr<EpisodeStore>> open(const std::string& path);
  ~EpisodeStore();
  EpisodeStore(const EpisodeStore&) = delete;
  EpisodeStore& operator=(const EpisodeStore&) = delete;

  Status append(const std::vector<EpisodeRow>& rows);   // one transaction
  Status truncate_after(int64_t step);                  // delete rows with step > `step`
  Expected<std::vector<EpisodeRow>> read(int64_t from_step = 0, int64_t to_step = INT64_MAX) const;
  Expected<std::vector<ScheduleRow>> read_schedule() const;  // every row, by (step, index)
  Expected<int64_t> count() const;
  Expected<int64_t> last_step() const;                  // -1 when empty
  const std::string& path() const { return path_; }

 private:
  EpisodeStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status exec(const std::string& sql) const;
  Status add_isolation_column();  // stores from before it: added on the first write
  sqlite3* db_;
  std::string path_;
  bool has_isolation_ = true;
};

}  // namespace stepcoder::run
