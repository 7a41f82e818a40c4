// The replay source (config.h's make_replay_source) and the schedule it serves (replay.h).
#include "curriculum/replay.h"

#include <map>
#include <set>

#include "curriculum/make_source.h"
#include "run/recorded_run.h"
#include "curriculum/splitter.h"
#include "run/layout.h"
#include "util/files.h"

namespace stepcoder::curriculum {
namespace {

bool same_item(const run::ScheduleRow& a, const run::ScheduleRow& b) {
  return a.task_id == b.task_id && a.stage == b.stage && a.stages == b.stages;
}

RecordedItem item_of(const run::ScheduleRow& r) { return {r.task_id, r.stage, r.stages}; }

// One step's rows [b, e) as items: runs of k rows when that fits, else runs of equal rows.
std::vector<RecordedItem> step_items(const std::vector<run::ScheduleRow>& rows, size_t b, size_t e, int k) {
  std::vector<RecordedItem> items;
  bool chunks = k > 0 && (e - b) % static_cast<size_t>(k) == 0;
  for (size_t i = b; chunks && i < e; ++i) chunks = same_item(rows[i], rows[b + (i - b) / k * k]);
  for (size_t i = b; i < e; ++i) {
    const bool starts = chunks ? (i - b) % static_cast<size_t>(k) == 0 : (i == b || !same_item(rows[i], rows[i - 1]));
    if (starts) items.push_back(item_of(rows[i]));
  }
  return items;
}

struct Tally {
  int64_t attempts = 0, passes = 0;
};

class ReplaySource : public ProblemSource {
 public:
  ReplaySource(std::vector<RecordedStep> steps, std::vector<std::vector<Item>> items)
      : steps_(std::move(steps)), items_(std::move(items)) {
    for (size_t i = 0; i < steps_.size(); ++i) at_[steps_[i].step] = i;
  }

  std::vector<Item> next(int64_t step, int count) override {
    auto it = at_.find(step);
    past_end_ = it == at_.end();
    size_t i = 0;
    if (!past_end_) {
      i = it->second;
    } else {  // past the recording: cycle from its start
      const int64_t m = static_cast<int64_t>(steps_.size());
      i = static_cast<size_t>(((step - steps_.front().step) % m + m) % m);
      ++cycled_;
    }
    last_ = i;
    if (static_cast<int>(items_[i].size()) != count) ++count_mismatches_;
    return items_[i];
  }

  void record(int64_t, const std::vector<Outcome>& outcomes) override {
    for (const Outcome& o : outcomes) by_stage_[o.stage].attempts += 1, by_stage_[o.stage].passes += o.passed;
  }

  Json state() const override {
    Json by = Json::object();
    for (const auto& [s, t] : by_stage_) by[std::to_string(s)] = {t.attempts, t.passes};
    return {{"kind", "replay"}, {"cycled", cycled_}, {"count_mismatches", count_mismatches_}, {"by_stage", by}};
  }

  Status restore(const Json& s) override {
    if (!s.is_object() || s.value("kind", "") != "replay") return Error("problem source state: not a replay source");
    cycled_ = s.value("cycled", int64_t{0}), count_mismatches_ = s.value("count_mismatches", int64_t{0});
    by_stage_.clear();
    if (s.contains("by_stage") && s["by_stage"].is_object())
      for (const auto& [k, v] : s["by_stage"].items()) by_stage_[std::stoi(k)] = {v.at(0).get<int64_t>(), v.at(1).get<int64_t>()};
    return {};
  }

  Json metrics() const override {
    Json hist = Json::object(), rates = Json::object();
    for (const Item& it : items_[last_]) hist[std::to_string(it.stage)] = hist.value(std::to_string(it.stage), 0) + 1;
    for (const auto& [s, t] : by_stage_) rates[std::to_string(s)] = t.attempts ? static_cast<double>(t.passes) / t.attempts : 0.0;
    return {{"stage_hist", hist},         {"pass_rate_by_stage", rates},
            {"advances", 0},              {"replay_step", steps_[last_].step},
            {"replay_past_end", past_end_}, {"replay_cycled_steps", cycled_},
            {"replay_count_mismatches", count_mismatches_}};
  }

 private:
  std::vector<RecordedStep> steps_;
  std::vector<std::vector<Item>> items_;  // items_[i]: the items of steps_[i]
  std::map<int64_t, size_t> at_;
  size_t last_ = 0;
  bool past_end_ = false;
  int64_t cycled_ = 0, count_mismatches_ = 0;
  std::map<int, Tally> by_stage_;
};

// Splits the problems the schedule names, as the recorded run did, and checks the stage counts.
Expected<std::map<std::string, ProblemSplit>> resplit(const std::vector<RecordedStep>& steps,
                                                      const std::map<std::string, int>& index,
                                                      const std::vector<tasks::Problem>& problems, const run::RecordedRun& run) {
  std::set<std::string> ids;
  for (const auto& s : steps)
    for (const auto& it : s.items) ids.insert(it.task_id);
  std::vector<tasks::Problem> used;
  for (const auto& id : ids) {
    auto at = index.find(id);
    if (at == index.end())
      return Error("task '" + id + "' of the recorded run is not among the " + std::to_string(problems.size()) +
                   " problems given (sft.train_file " + run.config.sft.train_file + ")");
    used.push_back(problems[at->second]);
  }
  std::map<std::string, ProblemSplit> splits;
  if (run.config.curriculum.enabled) {
    SplitOptions so;
    so.kind = run.config.curriculum.split, so.max_stages = run.config.curriculum.max_stages, so.cache_dir = default_split_cache_dir();
    SplitResult r = split_problems(used, so);
    for (size_t i = 0; i < used.size(); ++i) splits[used[i].task_id] = r.problems[i];
  } else {
    for (const auto& p : used) splits[p.task_id] = ProblemSplit{};
  }
  return splits;
}

}  // namespace

std::vector<RecordedStep> recorded_schedule(const std::vector<run::ScheduleRow>& rows, int samples_per_prompt) {
  std::vector<RecordedStep> steps;
  for (size_t b = 0, e; b < rows.size(); b = e) {
    for (e = b; e < rows.size() && rows[e].step == rows[b].step;) ++e;
    steps.push_back({rows[b].step, step_items(rows, b, e, samples_per_prompt)});
  }
  return steps;
}

Expected<std::unique_ptr<ProblemSource>> make_replay_source(const std::string& run_dir,
                                                            std::vector<tasks::Problem> problems) {
  auto run = run::read_recorded_run(run_dir);
  if (!run) return Error(run.error());
  const std::string db = run::RunLayout(run_dir).episodes();
  if (!file_exists(db)) return Error(db + ": no episode store (the run recorded no step)");
  auto store = run::EpisodeStore::open(db);
  if (!store) return Error(store.error());
  auto rows = (*store)->read_schedule();
  if (!rows) return Error(rows.error());
  if (rows->empty()) return Error(db + ": no episodes recorded");
  std::vector<RecordedStep> steps = recorded_schedule(*rows, run->config.ppo.samples_per_prompt);
  std::map<std::string, int> index;
  for (size_t i = 0; i < problems.size(); ++i) index.emplace(problems[i].task_id, static_cast<int>(i));
  auto splits = resplit(steps, index, problems, *run);
  if (!splits) return Error(db + ": " + splits.error());
  std::vector<std::vector<Item>> items(steps.size());
  for (size_t s = 0; s < steps.size(); ++s) {
    for (const RecordedItem& r : steps[s].items) {
      const ProblemSplit& split = splits->at(r.task_id);
      if (split.stages() != r.stages || r.stage < 1 || r.stage > r.stages)
        return Error(db + ": task '" + r.task_id + "' was recorded at stage " + std::to_string(r.stage) + " of " +
                     std::to_string(r.stages) + ", the splitter now gives it " + std::to_string(split.stages()) +
                     " stages (curriculum.split " + run->config.curriculum.split + ", max_stages " +
                     std::to_string(run->config.curriculum.max_stages) + "; did the problem or the splitter change?)");
      Item it;
      it.problem = index.at(r.task_id), it.stage = r.stage, it.stages = r.stages;
      it.task = stage_problem(problems[it.problem], split, r.stage);
      items[s].push_back(std::move(it));
    }
  }
  return std::unique_ptr<ProblemSource>(new ReplaySource(std::move(steps), std::move(items)));
}

}  // namespace stepcoder::curriculum
