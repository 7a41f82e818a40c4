// Reading a recorded run's config.yaml (see recorded_run.h).
#include "run/recorded_run.h"

#include "run/layout.h"
#include "util/files.h"

namespace stepcoder::run {
namespace {

// sft.run_dir when the PPO run started from that SFT run, else "".
std::string started_from(const TrainRunConfig& c) {
  const std::string& dir = c.sft.run_dir;
  const bool from_its_checkpoint = c.train.init.rfind(dir + "/", 0) == 0;
  return !dir.empty() && (c.train.run_sft_first || from_its_checkpoint) ? dir : "";
}

}  // namespace

Expected<RecordedRun> read_recorded_run(const std::string& run_dir) {
  const std::string path = RunLayout(run_dir).config();
  if (!file_exists(path)) return Error(path + ": cannot read the run's config (is " + run_dir + " a run directory?)");
  RecordedRun rec;
  ConfigSchema schema = train_run_schema(rec.config);
  if (Status st = load_train_config(path, schema); !st) return Error(st.error());
  rec.sft_run_dir = started_from(rec.config);
  return rec;
}

}  // namespace stepcoder::run
