// `stepcoder replay RUN_DIR [--from-step A] [--to-step B] [--stages] [--json] [-j N]
// [--set sandbox.KEY=VAL]`: re-judges the episodes a training run stored (prompt + completion
// against the problem's tests, with coverage when the run used FGO) and compares verdict, pass
// ratio, FGO mask, line marks and task reward (the reward without KL) with what was recorded,
// so a judge, coverage or reward change that would have altered training shows up: each
// difference with what the judge says now (and where the tests ran), then how verdicts moved.
// `--stages` prints how each problem moved through the curriculum instead.
// Exit status: 0 when nothing differs, 1 when some episode does, 2 for bad input.
#include <cmath>
#include <cstdio>
#include <map>

#include "app/common.h"
#include "app/verb.h"
#include "run/episode_store.h"
#include "run/recorded_run.h"
#include "run/episode.h"
#include "run/layout.h"
#include "run/reward.h"
#include "tasks/problem_io.h"
#include "util/files.h"
#include "util/progress.h"

namespace stepcoder::app {
namespace {

struct ReplayArgs {
  std::string run_dir;
  int64_t from = 0, to = INT64_MAX;
  bool stages = false, json = false;
  std::vector<std::string> sets;
  int workers = 0;
};

// What re-judging one stored episode gives now, in the store's text columns.
struct Now {
  std::string verdict, mask, lines, message, isolation;
  double pass_ratio = 0, task_reward = 0;
};

struct Difference {
  const run::EpisodeRow* row;
  std::string field, recorded, now;
  std::string why;  // what the judge says now, and where the tests ran
};

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

// The trainer's own judging of a completion (run::judge_episode, as the rollout calls it), from
// the stored columns: the staged prompt, the completion and its token ends.
Now rejudge(sandbox::Judge& judge, const run::RecordedRun& run, const tasks::Problem& p,
            const run::EpisodeRow& row) {
  tasks::Problem staged = p;
  staged.prompt = row.prompt;
  const auto spans = run::spans_from_ends(row.token_ends, row.tokens, row.completion.size());
  const run::JudgedEpisode j = run::judge_episode(judge, staged, row.completion, spans, run.config.ppo.fgo);
  Now n;
  n.verdict = sandbox::verdict_name(j.result.verdict), n.pass_ratio = j.result.pass_ratio;
  n.message = j.result.message, n.isolation = sandbox::isolation_name(j.result.isolation);
  n.mask = run::mask_text(j.executed), n.lines = j.lines;
  n.task_reward = run::task_reward(run.config.ppo.rewards, j.result, staged.program(row.completion), row.prompt.size(), spans);
  return n;
}

// Where the tests ran, in words.
std::string where(const std::string& isolation) {
  if (isolation == "split") return "tests apart from the program";
  if (isolation == "in_process") return "tests in the program's process";
  return "output compared by the judge";
}

void compare(const run::EpisodeRow& row, const Now& n, std::vector<Difference>* out) {
  const std::string why = (n.message.empty() ? n.verdict : n.message) + " [" + where(n.isolation) + "]";
  auto differ = [&](const char* field, const std::string& rec, const std::string& now) {
    if (rec != now) out->push_back({&row, field, rec, now, why});
  };
  differ("verdict", row.verdict, n.verdict);
  if (!row.isolation.empty()) differ("isolation", row.isolation, n.isolation);
  if (std::fabs(row.pass_ratio - n.pass_ratio) > 1e-9) differ("pass_ratio", num(row.pass_ratio), num(n.pass_ratio));
  differ("mask", row.mask, n.mask);
  differ("lines", row.lines, n.lines);
  // The trainer sums float32 per-token rewards.
  if (std::fabs(row.task_reward - n.task_reward) > 1e-4 * std::max(1.0, std::fabs(n.task_reward)))
    differ("task_reward", num(row.task_reward), num(n.task_reward));
}

void print_difference(const Difference& d, bool json) {
  if (json) {
    Json j = {{"step", d.row->step}, {"index", d.row->index}, {"task_id", d.row->task_id},
              {"field", d.field},    {"recorded", d.recorded},  {"now", d.now},
              {"why", d.why}};
    std::printf("%s\n", j.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
  } else {
    std::printf("step %lld index %d %s: %s recorded %s, now %s (%s)\n", static_cast<long long>(d.row->step),
                d.row->index, d.row->task_id.c_str(), d.field.c_str(), printable(d.recorded).c_str(),
                printable(d.now).c_str(), printable(d.why).c_str());
  }
}

// How verdicts moved, with how many episodes each way: "failed -> runtime_error: 3".
void print_transitions(const std::vector<Difference>& diffs, bool json) {
  std::map<std::pair<std::string, std::string>, int> moved;
  for (const auto& d : diffs)
    if (d.field == "verdict") ++moved[{d.recorded, d.now}];
  for (const auto& [from_to, count] : moved) {
    if (json)
      std::printf("%s\n", Json{{"verdict_from", from_to.first}, {"verdict_to", from_to.second}, {"episodes", count}}
                                .dump()
                                .c_str());
    else
      std::printf("verdict %s -> %s: %d episodes\n", from_to.first.c_str(), from_to.second.c_str(), count);
  }
}

struct Loaded {
  run::RecordedRun run;
  std::vector<run::EpisodeRow> rows;
};

Expected<Loaded> load(const ReplayArgs& a) {
  Loaded l;
  auto run = run::read_recorded_run(a.run_dir);
  if (!run) return Error(run.error());
  l.run = std::move(*run);
  const std::string db = run::RunLayout(a.run_dir).episodes();
  if (!file_exists(db)) return Error(db + ": no episode store (the run recorded no step)");
  auto store = run::EpisodeStore::open(db);
  if (!store) return Error(store.error());
  auto rows = (*store)->read(a.from, a.to);
  if (!rows) return Error(rows.error());
  l.rows = std::move(*rows);
  return l;
}

// Per task: "step:stage:pass-rate" at each step its curriculum stage first rose (earlier
// stages mixed in later do not count as moves); the pass rate is over all its episodes at it.
void print_stages(const std::vector<run::EpisodeRow>& rows, bool json) {
  struct Move {
    int64_t step;
    int stage;
  };
  std::map<std::string, std::vector<Move>> moves;
  std::map<std::pair<std::string, int>, std::pair<int, int>> tally;  // (task, stage) -> passed, all
  std::map<std::string, int> stages;
  for (const auto& r : rows) {
    auto& m = moves[r.task_id];
    if (m.empty() || r.stage > m.back().stage) m.push_back({r.step, r.stage});
    auto& t = tally[{r.task_id, r.stage}];
    t.first += r.verdict == "passed", t.second += 1;
    stages[r.task_id] = r.stages;
  }
  for (const auto& [task, m] : moves) {
    Json j = {{"task_id", task}, {"stages", stages[task]}, {"moves", Json::array()}};
    std::string line = task + " (" + std::to_string(stages[task]) + " stages)";
    for (const Move& mv : m) {
      const auto& t = tally[{task, mv.stage}];
      const double rate = t.second ? static_cast<double>(t.first) / t.second : 0.0;
      j["moves"].push_back({{"step", mv.step}, {"stage", mv.stage}, {"pass_rate", rate}});
      line += " " + std::to_string(mv.step) + ":" + std::to_string(mv.stage) + ":" + num(rate);
    }
    std::printf("%s\n", json ? j.dump().c_str() : line.c_str());
  }
}

void replay_verb(const ReplayArgs& a) {
  auto l = load(a);
  if (!l) return fail(l.error());
  if (a.stages) return print_stages(l->rows, a.json);
  tasks::LoadOptions lo;
  lo.keep_without_solution = true;
  auto set = tasks::load_problems(l->run.config.sft.train_file, lo);
  if (!set) return fail(set.error() + "\n---> HINT: replay reads sft.train_file of " + a.run_dir + "/config.yaml; run it from the directory the run started in");
  std::map<std::string, const tasks::Problem*> by_id;
  for (const auto& p : set->problems) by_id[p.task_id] = &p;
  for (const auto& r : l->rows)
    if (!by_id.count(r.task_id)) return fail("task '" + r.task_id + "' of " + a.run_dir + " is not in " + l->run.config.sft.train_file);
  auto cfg = sandbox_config_of(l->run.config, a.sets);  // the config load() read
  if (!cfg) return fail(cfg.error());
  auto judge = sandbox::SandboxJudge::create(*cfg);
  if (!judge) return fail("starting the judge: " + judge.error(), 1);
  std::vector<Now> now(l->rows.size());
  Progress bar("replay", static_cast<int64_t>(l->rows.size()));
  parallel_for(
      l->rows.size(), a.workers > 0 ? a.workers : cfg->workers,
      [&](size_t i) { now[i] = rejudge(**judge, l->run, *by_id.at(l->rows[i].task_id), l->rows[i]); },
      [&](size_t done) { bar.update(static_cast<int64_t>(done)); });
  bar.finish();
  std::vector<Difference> diffs;
  int differing = 0;
  for (size_t i = 0; i < l->rows.size(); ++i) {
    const size_t before = diffs.size();
    compare(l->rows[i], now[i], &diffs);
    differing += diffs.size() > before;
  }
  for (const auto& d : diffs) print_difference(d, a.json);
  print_transitions(diffs, a.json);
  if (a.json) {
    std::printf("%s\n", Json{{"episodes", l->rows.size()}, {"differ", differing}}.dump().c_str());
  } else {
    std::printf("%zu episodes re-judged, %d differ\n", l->rows.size(), differing);
  }
  set_exit_code(differing == 0 ? 0 : 1);
}

}  // namespace

void add_replay_verb(CLI::App& app) {
  auto a = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand("replay", "Re-judge a training run's stored episodes and report what differs now");
  cmd->add_option("run_dir", a->run_dir, "run directory (config.yaml, episodes.sqlite)")->required();
  cmd->add_option("--from-step", a->from, "first step to replay");
  cmd->add_option("--to-step", a->to, "last step to replay");
  cmd->add_flag("--stages", a->stages, "print how each problem moved through the curriculum (step:stage:pass-rate)");
  cmd->add_flag("--json", a->json, "one JSON object a line");
  cmd->add_option("--set", a->sets, "override a sandbox key of the run's config: sandbox.KEY=VALUE (repeatable)");
  cmd->add_option("-j,--jobs", a->workers, "parallel judges (default: sandbox.workers, 0 = cores)");
  cmd->callback([a] { replay_verb(*a); });
}

}  // namespace stepcoder::app
