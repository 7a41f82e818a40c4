// Reading a recorded run's config.yaml (see run_config.h). yaml-cpp throws on malformed input
// and on values of the wrong type; both come back as errors naming the file.
#include "curriculum/run_config.h"

#include <yaml-cpp/yaml.h>

#include "curriculum/splitter.h"
#include "run/layout.h"

namespace stepcoder::curriculum {
namespace {

// A map below `parent`, or an empty node.
YAML::Node section(const YAML::Node& parent, const char* key) {
  if (!parent || !parent.IsMap()) return YAML::Node();
  YAML::Node s = parent[key];
  return s && s.IsMap() ? s : YAML::Node();
}

template <class T>
void get(const YAML::Node& sec, const char* key, T* dst) {
  if (!sec) return;
  const YAML::Node v = sec[key];
  if (v && !v.IsNull()) *dst = v.as<T>();
}

void read_rewards(const YAML::Node& n, run::RewardConfig* r) {
  get(n, "outcome", &r->outcome), get(n, "compile_error", &r->compile_error);
  get(n, "runtime_error", &r->runtime_error), get(n, "failed", &r->failed), get(n, "passed", &r->passed);
  get(n, "adaptive", &r->adaptive), get(n, "adaptive_scale", &r->adaptive_scale);
  get(n, "error_lines", &r->error_lines), get(n, "error_line_penalty", &r->error_line_penalty);
}

// sft.run_dir when the PPO run started from that SFT run, else "".
std::string started_from(const YAML::Node& sft, const YAML::Node& train) {
  std::string dir, init;
  bool ran_first = false;
  get(sft, "run_dir", &dir), get(train, "init", &init), get(train, "run_sft_first", &ran_first);
  return !dir.empty() && (ran_first || init.rfind(dir + "/", 0) == 0) ? dir : "";
}

}  // namespace

Expected<RecordedRun> read_recorded_run(const std::string& run_dir) {
  const std::string path = run::RunLayout(run_dir).config();
  RecordedRun run;
  try {
    const YAML::Node root = YAML::LoadFile(path);
    const YAML::Node cur = section(root, "curriculum"), ppo = section(root, "ppo");
    CurriculumConfig& c = run.curriculum;
    get(cur, "enabled", &c.enabled), get(cur, "split", &c.split), get(cur, "max_stages", &c.max_stages);
    get(cur, "advance", &c.advance);
    get(ppo, "samples_per_prompt", &run.samples_per_prompt), get(ppo, "fgo", &run.fgo);
    get(section(root, "sft"), "train_file", &run.train_file);
    run.sft_run_dir = started_from(section(root, "sft"), section(root, "train"));
    read_rewards(section(ppo, "rewards"), &run.rewards);
  } catch (const YAML::BadFile&) {
    return Error(path + ": cannot read the run's config (is " + run_dir + " a run directory?)");
  } catch (const YAML::Exception& e) {
    return Error(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!is_split_kind(run.curriculum.split))
    return Error(path + ": curriculum.split: '" + run.curriculum.split + "' is not control, statement or line");
  return run;
}

}  // namespace stepcoder::curriculum
