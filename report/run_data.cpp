// Reading a run directory for the report (see run_data.h).
#include "report/run_data.h"

#include <dirent.h>

#include <algorithm>
#include <map>
#include <set>

#include "run/recorded_run.h"
#include "run/layout.h"
#include "run/metrics_keys.h"
#include "util/files.h"

namespace stepcoder::report {

void sort_metrics(const std::vector<JsonlRow>& rows, RunData* run) {
  for (const JsonlRow& r : rows) {
    const Json& j = r.value;
    const std::string k = j.value(run::key::kKind, "");
    if (k == run::kind::kPpo) run->ppo.push_back(j);
    else if (k == run::kind::kTrain) run->sft_train.push_back(j);
    else if (k == run::kind::kSummary) run->summaries.push_back(j);
    else if (k == run::kind::kEval && (j.contains(run::key::kValidLoss) || j.contains(run::key::kValidPass1)))
      run->sft_eval.push_back(j);
    else if (k == run::kind::kEval) run->eval.push_back(j);
  }
}

std::vector<EpisodeGroup> pick_gallery(const std::vector<run::EpisodeRow>& rows_in,
                                       const GalleryOptions& o) {
  std::vector<run::EpisodeRow> rows = rows_in;
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.step != b.step ? a.step > b.step : a.index < b.index;  // newest step first
  });
  std::vector<EpisodeGroup> out;
  if (rows.empty()) return out;
  std::set<std::pair<int64_t, int>> shown;
  EpisodeGroup last{"Last step (" + std::to_string(rows.front().step) + ")", {}};
  for (const auto& r : rows)
    if (r.step == rows.front().step && static_cast<int>(last.episodes.size()) < o.last_step)
      last.episodes.push_back(r), shown.insert({r.step, r.index});
  out.push_back(std::move(last));
  std::map<std::string, EpisodeGroup> by_verdict;  // sorted by verdict name: a stable page
  for (const auto& r : rows) {
    if (shown.count({r.step, r.index})) continue;
    EpisodeGroup& g = by_verdict[r.verdict];
    if (g.title.empty()) g.title = "Recent: " + r.verdict;
    if (static_cast<int>(g.episodes.size()) < o.per_verdict) g.episodes.push_back(r);
  }
  for (auto& [verdict, g] : by_verdict) out.push_back(std::move(g));
  return out;
}

namespace {

// eval*.json files in `dir`, sorted by name.
std::vector<std::string> eval_file_names(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n.rfind("eval", 0) == 0 && n.size() >= 9 && n.compare(n.size() - 5, 5, ".json") == 0) names.push_back(n);
    }
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// One JSON object (`stepcoder eval --json` output), or several, one a line.
Status read_eval_file(const std::string& dir, const std::string& name, RunData* run) {
  const std::string path = dir + "/" + name;
  auto text = read_file(path);
  if (!text) return Error(text.error());
  Json j = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    run->eval_files.push_back({name, j});
    return {};
  }
  auto rows = read_jsonl(path);  // names the bad line
  if (!rows) return Error(rows.error());
  for (const JsonlRow& r : rows->rows) run->eval_files.push_back({name, r.value});
  return {};
}

void read_episodes(const std::string& path, const GalleryOptions& o, RunData* run) {
  if (!file_exists(path)) {
    run->notes.push_back("No episodes.sqlite in the run directory: no sampled programs to show.");
    return;
  }
  auto store = run::EpisodeStore::open(path);
  if (!store) return run->notes.push_back("Episodes not shown: " + store.error());
  auto count = (*store)->count();
  auto last = (*store)->last_step();
  if (!count || !last) return run->notes.push_back("Episodes not shown: " + (count ? last.error() : count.error()));
  run->episodes = *count;
  if (*count == 0) return run->notes.push_back("episodes.sqlite holds no episodes yet.");
  auto rows = (*store)->read(std::max<int64_t>(0, *last - o.lookback), *last);
  if (!rows) return run->notes.push_back("Episodes not shown: " + rows.error());
  run->gallery = pick_gallery(*rows, o);
}

// The training and validation lines of SFT_DIR/metrics.jsonl.
void read_sft_metrics(const std::string& sft_dir, RunData* run) {
  const std::string path = run::RunLayout(sft_dir).metrics();
  if (!file_exists(path)) return run->notes.push_back("SFT metrics " + path + " not found: no SFT curves.");
  auto rows = read_jsonl(path, {/*skip_bad=*/true});
  if (!rows) return run->notes.push_back("SFT curves not shown: " + rows.error());
  RunData sft;
  sort_metrics(rows->rows, &sft);
  run->sft_train = std::move(sft.sft_train), run->sft_eval = std::move(sft.sft_eval);
}

// The SFT curves of the SFT run this PPO run started from, which its config.yaml names.
void read_sft_stage(const std::string& dir, RunData* run) {
  auto rec = run::read_recorded_run(dir);
  if (!rec) return run->notes.push_back("SFT curves not shown: " + rec.error());
  if (!rec->sft_run_dir.empty() && rec->sft_run_dir != dir) read_sft_metrics(rec->sft_run_dir, run);
}

}  // namespace

Expected<RunData> load_run(const std::string& dir, const GalleryOptions& gallery) {
  RunData run;
  run.dir = dir;
  const run::RunLayout layout(dir);
  if (!file_exists(dir)) return Error(dir + ": no such run directory");
  if (!layout.exists())
    return Error(dir + ": not a run directory: it holds no config.yaml, metrics.jsonl or episodes.sqlite "
                 "(HINT: give the run_dir of a `stepcoder train` or `stepcoder sft` run)");
  if (file_exists(layout.config())) {
    auto cfg = read_file(layout.config());
    if (!cfg) return Error(cfg.error());
    run.config_yaml = *cfg;
  } else {
    run.notes.push_back("No config.yaml in the run directory.");
  }
  const std::string metrics = layout.metrics();
  if (file_exists(metrics)) {
    auto rows = read_jsonl(metrics);
    if (!rows) return Error(rows.error());
    sort_metrics(rows->rows, &run);
  } else {
    run.notes.push_back("No metrics.jsonl in the run directory: no curves to plot.");
  }
  if (run.sft_train.empty() && !run.config_yaml.empty()) read_sft_stage(dir, &run);
  for (const std::string& name : eval_file_names(dir))
    if (Status st = read_eval_file(dir, name, &run); !st) return Error(st.error());
  read_episodes(layout.episodes(), gallery, &run);
  return run;
}

}  // namespace stepcoder::report
