// The PPO loop (see ppo_train.h), top to bottom: for each step {draw problems; sample, judge
// and score (rollout); advantages; update; KL controller; curriculum outcomes; store the
// episodes; log}, with held-out pass@1 every eval_every steps and checkpoints every save_every.
#include "trainer/ppo_train.h"

#include <cmath>
#include <cstdio>

#include "model/checkpoint.h"
#include "model/sampling.h"
#include "trainer/ppo_train_impl.h"
#include "trainer/rollout.h"
#include "run/episode.h"
#include "run/layout.h"
#include "run/metrics_keys.h"
#include "trainer/sft_eval.h"
#include "util/files.h"
#include "util/seed.h"

namespace stepcoder::trainer {

namespace key = run::key;    // the names in metrics.jsonl
namespace kind = run::kind;

Json summary_json(const TrainSummary& s) {
  return {{"first_step", s.first_step}, {"steps", s.steps}, {"seconds", s.seconds},
          {"last_reward", s.last_reward}, {"last_pass_rate", s.last_pass_rate},
          {"last_eval_pass1", s.last_eval_pass1}, {"episodes", s.episodes},
          {"last_checkpoint", s.last_checkpoint}, {"time_limited", s.time_limited}};
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

Json verdict_counts(const RolloutStats& s) {
  Json out = Json::object();
  for (int v = 0; v < sandbox::kVerdictCount; ++v)
    if (s.verdicts[v]) out[sandbox::verdict_name(static_cast<sandbox::Verdict>(v))] = s.verdicts[v];
  return out;
}

std::vector<curriculum::Outcome> outcomes(const std::vector<curriculum::Item>& items, const Rollout& r) {
  std::vector<curriculum::Outcome> out;
  for (const Episode& e : r.episodes) {
    const curriculum::Item& it = items[e.problem];
    out.push_back({it.problem, it.stage, e.verdict == sandbox::Verdict::Passed, e.pass_ratio});
  }
  return out;
}

std::vector<run::EpisodeRow> episode_rows(int64_t step, const std::vector<curriculum::Item>& items,
                                                 const Rollout& r) {
  std::vector<run::EpisodeRow> rows;
  for (size_t i = 0; i < r.episodes.size(); ++i) {
    const Episode& e = r.episodes[i];
    const curriculum::Item& it = items[e.problem];
    run::EpisodeRow row;
    row.step = step, row.index = static_cast<int>(i), row.task_id = it.task.task_id;
    row.stage = it.stage, row.stages = it.stages, row.prompt = it.task.prompt, row.completion = e.completion;
    row.verdict = sandbox::verdict_name(e.verdict), row.reward = e.reward, row.task_reward = e.task_reward;
    row.pass_ratio = e.pass_ratio, row.kl = e.kl, row.tokens = e.tokens, row.kept_fraction = e.kept_fraction;
    row.mask = run::mask_text(e.mask), row.token_ends = run::join_ints(e.token_ends), row.lines = e.lines;
    row.message = e.message, row.isolation = sandbox::isolation_name(e.isolation);
    rows.push_back(std::move(row));
  }
  return rows;
}

Json ppo_line(int64_t step, double seconds, const Rollout& r, const PpoUpdateStats& u, double kl_coef,
              double update_s, double step_s, const Json& curriculum_metrics) {
  const RolloutStats& s = r.stats;
  double task_reward = 0;
  for (const Episode& e : r.episodes) task_reward += e.task_reward;
  task_reward /= std::max<size_t>(1, r.episodes.size());
  return {{key::kKind, kind::kPpo}, {key::kStep, step}, {key::kSeconds, seconds},
          {key::kReward, s.mean_reward}, {key::kTaskReward, task_reward}, {key::kPassRate, s.pass_rate},
          {key::kVerdicts, verdict_counts(s)}, {key::kKl, s.mean_kl}, {key::kKlCoef, kl_coef},
          {key::kEntropy, u.entropy}, {key::kClipFraction, u.clip_fraction}, {key::kApproxKl, u.approx_kl},
          {key::kPolicyLoss, u.policy_loss}, {key::kValueLoss, u.value_loss}, {key::kGradNorm, u.grad_norm},
          {key::kGradNormPolicy, u.grad_norm_policy}, {key::kGradNormSft, u.grad_norm_sft},
          {key::kGradCosine, u.grad_cosine}, {key::kKlLoss, u.kl_loss},
          {key::kEpochs, u.epochs}, {key::kSftLoss, u.sft_loss}, {key::kKeptFraction, s.kept_fraction},
          {key::kMixedVerdictShare, s.mixed_verdict_share}, {key::kCoverageShare, s.coverage_share},
          {key::kCompletions, s.completions}, {key::kTokens, s.tokens},
          {key::kTokensPerS, s.tokens / std::max(step_s, 1e-9)}, {key::kRewardTerms, s.reward_terms},
          {key::kTime, {{"sample", s.sample_s}, {"judge", s.judge_s}, {"judge_wait", s.judge_wait_s},
                        {"judge_busy", s.judge_busy_s}, {"score", s.score_s}, {"update", update_s},
                        {"step", step_s}}},
          {key::kCurriculum, curriculum_metrics}};
}

}  // namespace

Status PpoTrainer::Impl::log(Json line) { return metrics.append(line); }

Expected<bool> PpoTrainer::Impl::step_once(Progress& bar) {
  const int64_t s = step + 1;
  const auto t_step = Clock::now();
  const std::vector<curriculum::Item> items = source->next(s, cfg.ppo.prompts_per_step);
  if (items.empty()) return false;
  std::vector<tasks::Problem> problems;
  for (const auto& it : items) problems.push_back(it.task);
  model::SamplingConfig sc = cfg.sampling;
  sc.seed = static_cast<int64_t>(mix_seed(static_cast<uint64_t>(cfg.train.seed), static_cast<uint64_t>(s), 1));
  const int workers = cfg.train.judge_workers > 0 ? cfg.train.judge_workers : cfg.sandbox.workers;
  RolloutContext ctx{policy, reference, *tok, *judge, chain, workers};
  auto r = collect_rollout(ctx, problems, cfg.ppo, sc);
  if (!r) return Error("step " + std::to_string(s) + ": " + r.error());
  const auto t_update = Clock::now();
  prepare_advantages(r->batch, cfg.ppo);
  auto sft = supervised_data();
  if (!sft) return Error(sft.error());
  const double kl_loss_coef = kl_in_loss(cfg.ppo) && cfg.ppo.rewards.kl ? kl.coef() : 0.0;
  auto u = ppo_update(policy, *opt, r->batch, cfg.ppo, scoring_temperature(sc),
                      mix_seed(static_cast<uint64_t>(cfg.train.seed), static_cast<uint64_t>(s), 2), *sft,
                      kl_loss_coef);
  if (!u) return Error("step " + std::to_string(s) + ": " + u.error());
  const double update_s = seconds_since(t_update), kl_coef = kl.coef();
  kl.update(r->stats.mean_kl, r->stats.completions);
  source->record(s, outcomes(items, *r));
  if (Status st = store->append(episode_rows(s, items, *r)); !st) return Error("step " + std::to_string(s) + ": " + st.error());
  step = s, tokens += r->stats.tokens;
  last_reward = r->stats.mean_reward, last_pass_rate = r->stats.pass_rate;
  const double step_s = seconds_since(t_step);
  if (s % cfg.train.log_every == 0 || s == cfg.train.steps) {
    Json line = ppo_line(s, seconds_before + elapsed(), *r, *u, kl_coef, update_s, step_s, source->metrics());
    if (Status st = log(line); !st) return Error(st.error());
  }
  // The bar counts this invocation's steps, so its rate and ETA stay right after --resume.
  char status[160];
  std::snprintf(status, sizeof(status), "step %lld reward %.2f pass %.0f%% kl %.2f %.0f tok/s",
                static_cast<long long>(s), r->stats.mean_reward, 100 * r->stats.pass_rate, r->stats.mean_kl,
                r->stats.tokens / std::max(step_s, 1e-9));
  bar.update(s - first_step, status);
  return true;
}

Expected<const SftData*> PpoTrainer::Impl::supervised_data() {
  if (cfg.ppo.sft_coef <= 0) return nullptr;
  if (!sft_data) {
    auto data = SftData::build(train_problems, *tok, cfg.model.context, 0);
    if (!data) return Error("ppo.sft_coef: " + data.error());
    sft_data = std::make_unique<SftData>(std::move(*data));
    if (sft_data->size() == 0)
      return Error("ppo.sft_coef: no problem of " + cfg.sft.train_file + " has a canonical_solution that fits " +
                   "model.context (" + std::to_string(cfg.model.context) + " tokens) (HINT: set ppo.sft_coef: 0)");
  }
  return sft_data.get();
}

Status PpoTrainer::Impl::evaluate() {
  if (!eval_pool) eval_pool = std::make_unique<sandbox::JudgePool>(*judge, cfg.sandbox.workers);
  run::EvalConfig ec;
  ec.temperatures = {0.0}, ec.k = {1};
  SampleFn sample = [this](const std::vector<std::string>& prompts, const model::SamplingConfig& sc)
      -> Expected<std::vector<model::Sample>> {
    auto ids = tok->encode_prompts(prompts);
    if (!ids) return Error(ids.error());
    auto done = model::generate(policy, *tok, *ids, sc);
    if (!done) return Error(done.error());
    std::vector<model::Sample> out;
    for (const model::Completion& c : *done)
      out.push_back({c.text, c.finish_reason, static_cast<int>(c.tokens.size()), 0.0});
    return out;
  };
  auto report = evaluate_pass_at_k(eval_problems, sample, *eval_pool, cfg.sampling, ec);
  policy->train();
  if (!report) return Error("step " + std::to_string(step) + ": held-out pass@1: " + report.error());
  last_eval = report->results[0].pass_at_k[1];
  const Json res = report_json(*report)["results"][0];
  return log({{key::kKind, kind::kEval}, {key::kStep, step}, {key::kSplit, cfg.train.eval_split},
              {key::kPass1, last_eval}, {key::kProblems, report->problems}, {key::kVerdicts, res["verdicts"]},
              {key::kMeanTokens, res["mean_tokens"]}, {key::kSeconds, seconds_before + elapsed()},
              {key::kEvalSeconds, report->seconds}});
}

Status PpoTrainer::Impl::save() {
  Json extra = {{"kl_coef", kl.coef()}, {"source", source->state()}, {"seconds", seconds_before + elapsed()},
                {"tokens", tokens}, {"init", init}, {"seed", cfg.train.seed}};
  const run::RunLayout layout(cfg.train.run_dir);
  const model::TrainState st{step, extra.dump()};
  if (Status s = model::save_checkpoint(layout.step_checkpoint(step), policy, *tok, opt.get(), st); !s)
    return s;
  return model::save_checkpoint(layout.checkpoint("last"), policy, *tok, opt.get(), st);
}

Expected<TrainSummary> PpoTrainer::Impl::train() {
  const run::TrainConfig& c = cfg.train;
  if (!model_ready) {
    if (Status st = run_sft_first(); !st) return Error(st.error());
    start = Clock::now();  // `seconds` and time_limit_s count PPO only; SFT logs its own
  }
  Progress bar("train", std::max<int64_t>(0, c.steps - first_step), opts.progress);
  int64_t saved_at = step;
  try {
    // The starting policy's held-out pass@1 is the baseline the later evaluations are read
    // against (a resumed run already logged it).
    if (c.eval_every > 0 && step == 0 && !opts.resume)
      if (Status st = evaluate(); !st) return Error(st.error());
    // steps: 0 evaluates the starting checkpoint as it is; last.pt is then that checkpoint.
    if (c.steps == 0 && !opts.resume)
      if (Status st = save(); !st) return Error(st.error());
    while (step < c.steps) {
      auto more = step_once(bar);
      if (!more) return Error(more.error());
      const bool out_of_time = c.time_limit_s > 0 && elapsed() >= c.time_limit_s;
      const bool last = !*more || step == c.steps || out_of_time;
      if (*more && c.eval_every > 0 && (step % c.eval_every == 0 || last))
        if (Status st = evaluate(); !st) return Error(st.error());
      if (step != saved_at && (step % c.save_every == 0 || last)) {
        if (Status st = save(); !st) return Error(st.error());
        saved_at = step;
      }
      if (last) break;
    }
  } catch (const c10::Error& e) {
    return Error("train: step " + std::to_string(step + 1) + ": " + e.what_without_backtrace());
  }
  bar.finish();
  TrainSummary s;
  if (step < c.steps && c.time_limit_s > 0 && elapsed() >= c.time_limit_s) {
    s.time_limited = true;
    std::fprintf(stderr, "warning: train: train.time_limit_s (%.0f s) stopped the run at step %lld of %lld, so this "
                 "model differs from the one a full run trains (HINT: raise or drop the limit)\n",
                 c.time_limit_s, static_cast<long long>(step), static_cast<long long>(c.steps));
  }
  s.first_step = first_step, s.steps = step, s.seconds = seconds_before + elapsed();
  s.last_reward = last_reward, s.last_pass_rate = last_pass_rate, s.last_eval_pass1 = last_eval;
  auto n = store->count();
  s.episodes = n ? *n : -1;
  s.last_checkpoint = run::RunLayout(c.run_dir).checkpoint("last");
  Json j = summary_json(s);
  j[key::kKind] = kind::kSummary;
  if (Status st = log(j); !st) return Error(st.error());
  return s;
}

}  // namespace stepcoder::trainer
