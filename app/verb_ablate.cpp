// `stepcoder ablate DIR -o OUT [--seeds K [--aa]] [--baseline NAME] [--only NAME]...`: for each
// DIR/*.yaml (name order, an arm) train it into OUT/NAME with `stepcoder train`, evaluate
// OUT/NAME/checkpoints/last.pt on the test split with `stepcoder eval --json`, and write
// OUT/ablation.md and OUT/ablation.json (report/ablation.h).
//
// With --seeds K every arm runs K times, into OUT/NAME/seed-S with train.seed = S (S = 1..K):
// the same seed gives arms that draw the same prompts the same step-1 samples, so arms are
// compared seed by seed.
// --aa adds the arm BASELINE-aa, the baseline's config again with seeds 1001..1000+K: its
// difference to the baseline is the spread that seeds alone make. Each arm's mean and its
// difference to the baseline come with 95% bootstrap intervals over seeds x problems.
//
// Paired runs must start from the same checkpoint. Each run's ablate.json records the
// XXH3-128 of the checkpoint it started from (train.init, or model.init_from for an arm that
// trains SFT first); before any run starts, a finished run whose checkpoint has changed since is
// an error, so results kept from an earlier session (or copied from elsewhere) are never paired
// with runs from another starting point.
//
// Each stage is a child process of this same binary, so a crash in one run cannot take the
// others down; their progress goes to stderr. A run whose eval.json exists is not run again,
// so an interrupted ablation resumes where it stopped, run by run. Exit status 1 when any run
// failed, 2 for bad input.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "app/common.h"
#include "app/verb.h"
#include "run/layout.h"
#include "report/ablation.h"
#include "util/config.h"
#include "util/files.h"
#include "util/hash.h"
#include "util/process.h"

namespace stepcoder::app {
namespace {

struct AblateArgs {
  std::string dir, out, baseline;
  std::vector<std::string> only;
  int seeds = 0;  // 0: one run per arm, at the config's own seed, in OUT/NAME
  bool aa = false;
};

constexpr int64_t kAaSeedOffset = 1000;  // the A/A arm's seeds: 1001, 1002, ...

// One training run of an ablation: an arm at one seed.
struct RunSpec {
  std::string arm, name, config, run_dir;  // name: the config's (the A/A arm's is the baseline's)
  int64_t seed = 0;  // 0: the config's train.seed
  std::string start;  // the checkpoint file it starts from; empty: from scratch or a model directory
};

// The checkpoint file a config's run starts from: train.init, or model.init_from when the run
// trains SFT first. Empty for a run from scratch or from a Hugging Face model directory.
Expected<std::string> start_checkpoint(const std::string& config) {
  run::TrainRunConfig cfg;
  ConfigSchema schema = run::train_run_schema(cfg);
  if (Status st = run::load_train_config(config, schema); !st) return Error(st.error());
  const std::string& path = cfg.train.run_sft_first ? cfg.model.init_from : cfg.train.init;
  if (path.empty() || is_directory(path)) return std::string();
  return path;
}

// Hashes of start checkpoints, each file read once per ablation.
class StartHashes {
 public:
  // "" when the file does not exist (yet): the run's own training then reports it.
  Expected<std::string> of(const std::string& path) {
    if (path.empty() || !file_exists(path)) return std::string();
    if (auto it = known_.find(path); it != known_.end()) return it->second;
    auto h = file_hash_hex(path);
    if (!h) return Error(h.error());
    return known_[path] = *h;
  }

 private:
  std::map<std::string, std::string> known_;
};

// A finished run whose start checkpoint has another hash now: new runs would not be its pairs.
Status check_start_unchanged(const RunSpec& r, StartHashes& hashes) {
  auto text = read_file(r.run_dir + "/ablate.json");
  if (!text) return {};  // not trained yet
  Json j = Json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("start_xxh3") || !j["start_xxh3"].is_string()) return {};  // recorded before hashes
  auto now = hashes.of(r.start);
  if (!now) return Error(now.error());
  const std::string then = j["start_xxh3"].get<std::string>();
  if (now->empty() || *now == then) return {};
  return Error(r.run_dir + " started from " + r.start + " with XXH3 " + then + ", but that file now has XXH3 " + *now +
               ": runs started now would not be paired with it (HINT: restore that checkpoint, or write this "
               "ablation to a new -o folder)");
}

Expected<std::string> self_exe() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return SysError("readlink /proc/self/exe");
  return std::string(buf, static_cast<size_t>(n));
}

// Config names (file names without .yaml) in DIR, sorted.
Expected<std::vector<std::string>> config_names(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return SysError(dir);
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".yaml") == 0) names.push_back(n.substr(0, n.size() - 5));
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  if (names.empty()) return Error(dir + ": no *.yaml configs (HINT: one file per ablation arm, e.g. fgo.yaml, no-fgo.yaml)");
  return names;
}

// Wall time of the training child, kept beside eval.json so a resumed ablation still reports
// it; else the last "seconds" the run logged.
double train_seconds(const std::string& run_dir) {
  if (auto t = read_file(run_dir + "/ablate.json"); t) {
    Json j = Json::parse(*t, nullptr, false);
    if (j.is_object() && j.contains("train_wall_s")) return j["train_wall_s"].get<double>();
  }
  double seconds = -1;
  if (auto m = read_jsonl(run::RunLayout(run_dir).metrics(), {/*skip_bad=*/true}); m)
    for (const JsonlRow& r : m->rows)
      if (r.value.contains("seconds") && r.value["seconds"].is_number()) seconds = r.value["seconds"].get<double>();
  return seconds;
}

Status train_config(const std::string& exe, const RunSpec& r, StartHashes& hashes) {
  auto start_hash = hashes.of(r.start);
  if (!start_hash) return Error(start_hash.error());
  std::fprintf(stderr, "ablate: %s: training into %s\n", r.arm.c_str(), r.run_dir.c_str());
  auto t0 = std::chrono::steady_clock::now();
  // An arm that trains SFT first (the equal-compute control) does so inside its run directory,
  // so its seeds do not share one SFT directory; model.seed orders that SFT's data.
  std::vector<std::string> argv{exe, "train", r.config, "--set", "train.run_dir=" + r.run_dir,
                                "--set", "sft.run_dir=" + r.run_dir + "/sft"};
  if (r.seed != 0)
    for (const char* key : {"train.seed=", "model.seed="}) argv.insert(argv.end(), {"--set", key + std::to_string(r.seed)});
  auto train = run_process(argv, /*capture_stdout=*/false);
  if (!train) return Error(train.error());
  if (train->status != 0) return Error("stepcoder train exited with status " + std::to_string(train->status));
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Json record = {{"train_wall_s", wall}};
  if (!start_hash->empty()) record["start"] = r.start, record["start_xxh3"] = *start_hash;
  return write_file_atomic(r.run_dir + "/ablate.json", record.dump() + "\n");
}

// eval.json is written only from a successful evaluation: its presence means "done".
Status evaluate_config(const std::string& exe, const RunSpec& r) {
  std::fprintf(stderr, "ablate: %s: evaluating %s on the test split\n", r.arm.c_str(), r.run_dir.c_str());
  auto eval = run_process({exe, "eval", r.config, "--checkpoint", run::RunLayout(r.run_dir).checkpoint("last"),
                           "--split", "test", "--json"},
                          /*capture_stdout=*/true);
  if (!eval) return Error(eval.error());
  if (eval->status != 0) return Error("stepcoder eval exited with status " + std::to_string(eval->status));
  if (!Json::parse(eval->stdout_text, nullptr, false).is_object())
    return Error("stepcoder eval printed no JSON object: " + eval->stdout_text.substr(0, 200));
  return write_file_atomic(run::RunLayout(r.run_dir).eval(), eval->stdout_text);
}

// Trains and evaluates one run; errors are this run's failure, not the ablation's.
Expected<report::AblationRow> run_config(const std::string& exe, const RunSpec& r, StartHashes& hashes) {
  const std::string eval_path = run::RunLayout(r.run_dir).eval();
  if (file_exists(eval_path)) {
    std::fprintf(stderr, "ablate: %s: %s exists, not run again\n", r.arm.c_str(), eval_path.c_str());
  } else {
    // ablate.json marks a finished training: then only the evaluation is left to do.
    if (!file_exists(r.run_dir + "/ablate.json"))
      if (Status st = train_config(exe, r, hashes); !st) return Error(st.error());
    if (Status st = evaluate_config(exe, r); !st) return Error(st.error());
  }
  auto text = read_file(eval_path);
  if (!text) return Error(text.error());
  Json j = Json::parse(*text, nullptr, false);
  if (!j.is_object()) return Error(eval_path + ": not a JSON object (delete it to evaluate again)");
  try {
    return report::row_from_eval(r.arm, j, train_seconds(r.run_dir), r.seed);
  } catch (const Json::exception& e) {  // a field of the wrong type
    return Error(eval_path + ": " + e.what() + " (delete it to evaluate again)");
  }
}

// The runs of the ablation, arm by arm: one per arm without --seeds, else K per arm and, with
// --aa, the A/A arm after the baseline.
Expected<std::vector<RunSpec>> plan_runs(const AblateArgs& a, const std::vector<std::string>& names,
                                         const std::string& baseline) {
  std::vector<RunSpec> runs;
  auto add_arm = [&](const std::string& arm, const std::string& name, int64_t offset) -> Status {
    const std::string config = a.dir + "/" + name + ".yaml";
    auto start = start_checkpoint(config);
    if (!start) return Error(start.error());
    if (a.seeds == 0) {
      runs.push_back({arm, name, config, a.out + "/" + arm, 0, *start});
      return {};
    }
    for (int64_t s = 1; s <= a.seeds; ++s)
      runs.push_back({arm, name, config, a.out + "/" + arm + "/seed-" + std::to_string(offset + s), offset + s, *start});
    return {};
  };
  for (const std::string& name : names) {
    if (Status st = add_arm(name, name, 0); !st) return Error(st.error());
    if (a.aa && name == baseline)
      if (Status st = add_arm(name + "-aa", name, kAaSeedOffset); !st) return Error(st.error());
  }
  return runs;
}

Status write_tables(const std::string& out, const std::vector<report::AblationRow>& rows, const std::string& baseline) {
  std::vector<report::ArmSummary> arms;
  if (auto s = report::summarize_arms(rows, baseline); s) arms = std::move(*s);  // the baseline may not have run yet
  if (Status st = write_file_atomic(out + "/ablation.md", report::ablation_markdown(rows, arms)); !st) return st;
  if (Status st = write_file_atomic(out + "/ablation.html", report::ablation_html(rows, arms)); !st) return st;
  return write_file_atomic(out + "/ablation.json", report::ablation_json(rows, arms).dump(2) + "\n");
}

bool selected(const AblateArgs& a, const RunSpec& r) {
  return a.only.empty() || std::find(a.only.begin(), a.only.end(), r.name) != a.only.end();
}

void ablate_verb(const AblateArgs& a) {
  auto names = config_names(a.dir);
  if (!names) return fail(names.error());
  for (const std::string& o : a.only)
    if (std::find(names->begin(), names->end(), o) == names->end()) return fail(a.dir + ": no config " + o + ".yaml");
  const std::string baseline = a.baseline.empty() ? names->front() : a.baseline;
  if (std::find(names->begin(), names->end(), baseline) == names->end())
    return fail("--baseline " + baseline + ": " + a.dir + " has no " + baseline + ".yaml");
  if (a.aa && a.seeds == 0) return fail("--aa needs --seeds K: the A/A arm is the baseline at other seeds");
  auto exe = self_exe();
  if (!exe) return fail(exe.error(), 1);
  if (Status st = make_dirs(a.out); !st) return fail(st.error());
  auto runs = plan_runs(a, *names, baseline);
  if (!runs) return fail(runs.error());
  StartHashes hashes;
  for (const RunSpec& r : *runs)
    if (Status st = check_start_unchanged(r, hashes); !st) return fail(st.error());
  std::vector<report::AblationRow> rows;
  int failed = 0;
  for (const RunSpec& r : *runs) {
    if (!selected(a, r) && !file_exists(run::RunLayout(r.run_dir).eval())) continue;  // not asked for, never run
    auto row = run_config(*exe, r, hashes);
    if (!row) {
      std::fprintf(stderr, "ablate: %s failed: %s\n", r.run_dir.c_str(), row.error().c_str());
      ++failed;
    }
    rows.push_back(row ? *row : report::failed_row(r.arm, row.error(), r.seed));
    if (Status st = write_tables(a.out, rows, baseline); !st) return fail(st.error(), 1);  // progress survives a kill
  }
  std::vector<report::ArmSummary> arms;
  if (auto s = report::summarize_arms(rows, baseline); s) arms = std::move(*s);
  std::printf("%s", report::ablation_markdown(rows, arms).c_str());
  std::printf("wrote %s/ablation.md, ablation.json and ablation.html\n", a.out.c_str());
  if (failed) fail(std::to_string(failed) + " of " + std::to_string(rows.size()) + " runs failed", 1);
}

}  // namespace

void add_ablate_verb(CLI::App& app) {
  auto a = std::make_shared<AblateArgs>();
  CLI::App* cmd = app.add_subcommand("ablate", "Train and evaluate every config of a folder; write the ablation table");
  cmd->add_option("dir", a->dir, "folder of YAML configs, one per ablation arm")->required();
  cmd->add_option("-o,--output", a->out, "output folder: OUT/NAME run directories, ablation.md, ablation.json")->required();
  cmd->add_option("--only", a->only, "run only this config (repeatable); others keep their existing results");
  cmd->add_option("--seeds", a->seeds, "run every arm at train.seed 1..K, into OUT/NAME/seed-S (paired seeds)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--baseline", a->baseline, "the arm the others are compared with (default: the first config)");
  cmd->add_flag("--aa", a->aa, "add the arm BASELINE-aa: the baseline again at seeds 1001.., the spread of seeds alone");
  cmd->footer("An interrupted ablation resumes: runs with an eval.json are not run again.");
  cmd->callback([a] { ablate_verb(*a); });
}

}  // namespace stepcoder::app
