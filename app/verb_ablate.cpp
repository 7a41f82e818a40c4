// `stepcoder ablate DIR -o OUT [--only NAME]...`: for each DIR/*.yaml (name order) train it into
// OUT/NAME with `stepcoder train`, evaluate OUT/NAME/checkpoints/last.pt on the test split with
// `stepcoder eval --json`, and write OUT/ablation.md and OUT/ablation.json (report/ablation.h).
// Each stage is a child process of this same binary, so a crash in one config cannot take the
// others down; their progress goes to stderr. A config whose OUT/NAME/eval.json exists is not
// run again, so an interrupted ablation resumes where it stopped. Exit status 1 when any config
// failed, 2 for bad input.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "run/layout.h"
#include "report/ablation.h"
#include "util/files.h"
#include "util/process.h"

namespace stepcoder::app {
namespace {

struct AblateArgs {
  std::string dir, out;
  std::vector<std::string> only;
};

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

Status train_config(const std::string& exe, const std::string& cfg, const std::string& name, const std::string& run_dir) {
  std::fprintf(stderr, "ablate: %s: training into %s\n", name.c_str(), run_dir.c_str());
  auto t0 = std::chrono::steady_clock::now();
  auto train = run_process({exe, "train", cfg, "--set", "train.run_dir=" + run_dir}, /*capture_stdout=*/false);
  if (!train) return Error(train.error());
  if (train->status != 0) return Error("stepcoder train exited with status " + std::to_string(train->status));
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return write_file_atomic(run_dir + "/ablate.json", Json{{"train_wall_s", wall}}.dump() + "\n");
}

// eval.json is written only from a successful evaluation: its presence means "done".
Status evaluate_config(const std::string& exe, const std::string& cfg, const std::string& name, const std::string& run_dir) {
  std::fprintf(stderr, "ablate: %s: evaluating on the test split\n", name.c_str());
  auto eval = run_process({exe, "eval", cfg, "--checkpoint", run::RunLayout(run_dir).checkpoint("last"), "--split", "test", "--json"},
                          /*capture_stdout=*/true);
  if (!eval) return Error(eval.error());
  if (eval->status != 0) return Error("stepcoder eval exited with status " + std::to_string(eval->status));
  if (!Json::parse(eval->stdout_text, nullptr, false).is_object())
    return Error("stepcoder eval printed no JSON object: " + eval->stdout_text.substr(0, 200));
  return write_file_atomic(run::RunLayout(run_dir).eval(), eval->stdout_text);
}

// Trains and evaluates one config; errors are this config's failure, not the ablation's.
Expected<report::AblationRow> run_config(const std::string& exe, const std::string& cfg, const std::string& name,
                                         const std::string& run_dir) {
  const std::string eval_path = run::RunLayout(run_dir).eval();
  if (file_exists(eval_path)) {
    std::fprintf(stderr, "ablate: %s: %s exists, not run again\n", name.c_str(), eval_path.c_str());
  } else {
    // ablate.json marks a finished training: then only the evaluation is left to do.
    if (!file_exists(run_dir + "/ablate.json"))
      if (Status st = train_config(exe, cfg, name, run_dir); !st) return Error(st.error());
    if (Status st = evaluate_config(exe, cfg, name, run_dir); !st) return Error(st.error());
  }
  auto text = read_file(eval_path);
  if (!text) return Error(text.error());
  Json j = Json::parse(*text, nullptr, false);
  if (!j.is_object()) return Error(eval_path + ": not a JSON object (delete it to evaluate again)");
  return report::row_from_eval(name, j, train_seconds(run_dir));
}

Status write_tables(const std::string& out, const std::vector<report::AblationRow>& rows) {
  if (Status st = write_file_atomic(out + "/ablation.md", report::ablation_markdown(rows)); !st) return st;
  return write_file_atomic(out + "/ablation.json", report::ablation_json(rows).dump(2) + "\n");
}

void ablate_verb(const AblateArgs& a) {
  auto names = config_names(a.dir);
  if (!names) return fail(names.error());
  for (const std::string& o : a.only)
    if (std::find(names->begin(), names->end(), o) == names->end()) return fail(a.dir + ": no config " + o + ".yaml");
  auto exe = self_exe();
  if (!exe) return fail(exe.error(), 1);
  if (Status st = make_dirs(a.out); !st) return fail(st.error());
  std::vector<report::AblationRow> rows;
  int failed = 0;
  for (const std::string& name : *names) {
    const std::string run_dir = a.out + "/" + name;
    const bool selected = a.only.empty() || std::find(a.only.begin(), a.only.end(), name) != a.only.end();
    if (!selected && !file_exists(run::RunLayout(run_dir).eval())) continue;  // not asked for, never run
    auto row = run_config(*exe, a.dir + "/" + name + ".yaml", name, run_dir);
    if (!row) {
      std::fprintf(stderr, "ablate: %s failed: %s\n", name.c_str(), row.error().c_str());
      ++failed;
    }
    rows.push_back(row ? *row : report::failed_row(name, row.error()));
    if (Status st = write_tables(a.out, rows); !st) return fail(st.error(), 1);  // progress survives a kill
  }
  std::printf("%s", report::ablation_markdown(rows).c_str());
  std::printf("wrote %s/ablation.md and %s/ablation.json\n", a.out.c_str(), a.out.c_str());
  if (failed) fail(std::to_string(failed) + " of " + std::to_string(rows.size()) + " configs failed", 1);
}

}  // namespace

void add_ablate_verb(CLI::App& app) {
  auto a = std::make_shared<AblateArgs>();
  CLI::App* cmd = app.add_subcommand("ablate", "Train and evaluate every config of a folder; write the ablation table");
  cmd->add_option("dir", a->dir, "folder of YAML configs, one per ablation arm")->required();
  cmd->add_option("-o,--output", a->out, "output folder: OUT/NAME run directories, ablation.md, ablation.json")->required();
  cmd->add_option("--only", a->only, "run only this config (repeatable); others keep their existing results");
  cmd->footer("An interrupted ablation resumes: configs with OUT/NAME/eval.json are not run again.");
  cmd->callback([a] { ablate_verb(*a); });
}

}  // namespace stepcoder::app
