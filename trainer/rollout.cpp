// Rollout collection: sample, judge, score, shape rewards (see rollout.h).
#include "trainer/rollout.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>

#include "coverage/judge_coverage.h"
#include "coverage/token_mask.h"
#include "run/episode.h"
#include "util/seed.h"
#include "util/thread_pool.h"

namespace stepcoder::trainer {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

using Judged = run::JudgedEpisode;


std::vector<std::pair<size_t, size_t>> byte_ranges(const model::Completion& c) {
  std::vector<std::pair<size_t, size_t>> r;
  for (const auto& s : c.spans) r.emplace_back(static_cast<size_t>(s.begin), static_cast<size_t>(s.end));
  r.resize(c.tokens.size(), {c.text.size(), c.text.size()});  // spans may stop short at a stop string
  return r;
}

// Called from the judging threads: sandbox::SandboxJudge is thread-safe, and the instrumenter
// builds a fresh Clang instance per call (the shared PCH table is behind a mutex in
// coverage/clang_parse.cpp), so nothing here is serialized.

// Per-position tensors of the sequences: ids (N, L), valid and FGO mask (N, L-1).
void lay_out(const std::vector<std::vector<int>>& prompts, const std::vector<model::Completion>& done,
             const std::vector<Judged>& judged, int pad, PpoBatch& b) {
  const int64_t N = static_cast<int64_t>(done.size());
  int64_t L = 2;
  for (int64_t i = 0; i < N; ++i)
    L = std::max<int64_t>(L, static_cast<int64_t>(prompts[i].size() + done[i].tokens.size()));
  b.ids = torch::full({N, L}, pad, torch::kInt64);
  b.valid = torch::zeros({N, L - 1}, torch::kFloat32);
  b.fgo_mask = torch::zeros({N, L - 1}, torch::kFloat32);
  auto ids = b.ids.accessor<int64_t, 2>();
  auto valid = b.valid.accessor<float, 2>(), mask = b.fgo_mask.accessor<float, 2>();
  for (int64_t i = 0; i < N; ++i) {
    const int64_t P = static_cast<int64_t>(prompts[i].size());
    for (int64_t t = 0; t < P; ++t) ids[i][t] = prompts[i][t];
    for (size_t t = 0; t < done[i].tokens.size(); ++t) {
      ids[i][P + t] = done[i].tokens[t];
      valid[i][P - 1 + t] = 1;
      mask[i][P - 1 + t] = judged[i].executed[t];
    }
  }
}

// Log-probabilities and values under `model`, without gradients, in chunks of `chunk` rows.
model::SequenceScores score_all(model::Transformer& model, const torch::Tensor& ids, double temperature,
                                int chunk) {
  torch::NoGradGuard no_grad;
  const bool was_training = model->is_training();
  model->eval();
  const torch::Device device = model->parameters().front().device();
  std::vector<torch::Tensor> lp, v;
  for (int64_t s = 0; s < ids.size(0); s += chunk) {
    auto part = ids.narrow(0, s, std::min<int64_t>(chunk, ids.size(0) - s)).to(device);
    auto sc = model::score_sequences(model, part, temperature);  // (n, L-1)
    lp.push_back(sc.logprobs.cpu()), v.push_back(sc.values.cpu());
  }
  model->train(was_training);
  model::SequenceScores out;
  out.logprobs = torch::cat(lp, 0), out.values = torch::cat(v, 0);  // (N, L-1)
  return out;
}

// The KL reference's log-probabilities: a frozen copy, or under LoRA the policy itself with its
// adapters off (the same handle: PpoTrainer::Impl::attach_policy).
torch::Tensor reference_logprobs(const RolloutContext& ctx, const torch::Tensor& ids, double temperature, int chunk) {
  if (ctx.reference.get() != ctx.policy.get()) return score_all(ctx.reference, ids, temperature, chunk).logprobs;
  model::AdaptersOff off(ctx.policy);
  return score_all(ctx.policy, ids, temperature, chunk).logprobs;
}

// Rewards per row from the chain, placed on the completion's positions; fills the episodes.
void shape_rewards(RolloutContext& ctx, const std::vector<tasks::Problem>& problems, int K,
                   const std::vector<std::vector<int>>& prompts, const std::vector<model::Completion>& done,
                   const std::vector<Judged>& judged, Rollout& r) {
  PpoBatch& b = r.batch;
  b.rewards = torch::zeros_like(b.valid);  // (N, L-1)
  b.shaping = torch::zeros_like(b.valid);
  for (size_t i = 0; i < done.size(); ++i) {
    const tasks::Problem& p = problems[i / K];
    const int64_t P = static_cast<int64_t>(prompts[i].size()), T = static_cast<int64_t>(done[i].tokens.size());
    const std::string program = p.program(done[i].text);
    const auto spans = byte_ranges(done[i]);
    auto lp = b.old_logprobs[i].narrow(0, P - 1, T), ref = b.ref_logprobs[i].narrow(0, P - 1, T);  // (T)
    RewardInput in{judged[i].result, program, p.prompt.size(), spans, lp, ref, &judged[i].executed};
    std::map<std::string, double> terms;
    Shaped rw = ctx.rewards.compute(in, &terms);  // (T) each
    for (const auto& [name, v] : terms) r.stats.reward_terms[name] += v;
    b.rewards[i].narrow(0, P - 1, T).copy_(rw.rewards);
    b.shaping[i].narrow(0, P - 1, T).copy_(rw.shaping);
    Episode& e = r.episodes[i];
    e.problem = static_cast<int>(i / K), e.completion = done[i].text;
    e.verdict = judged[i].result.verdict, e.pass_ratio = judged[i].result.pass_ratio;
    e.tokens = static_cast<int>(T), e.reward = (rw.rewards.sum() + rw.shaping.sum()).item<double>();
    e.kl = (lp - ref).sum().item<double>();
    e.kept_fraction = T ? b.fgo_mask[i].narrow(0, P - 1, T).mean().item<double>() : 1.0;
    e.coverage = judged[i].coverage, e.message = judged[i].result.message;
    e.isolation = judged[i].result.isolation;
    e.task_reward = e.reward - (terms.count("kl") ? terms.at("kl") : 0.0);
    e.mask = judged[i].executed, e.lines = judged[i].lines;
    for (const auto& sp : spans) e.token_ends.push_back(static_cast<int>(sp.second));
  }
}

void summarize(const std::vector<Episode>& eps, int prompts, const PpoBatch& b, RolloutStats& s) {
  s.prompts = prompts, s.completions = static_cast<int>(eps.size());
  std::vector<std::vector<sandbox::Verdict>> groups(prompts);
  for (const Episode& e : eps) {
    groups[e.problem].push_back(e.verdict);
    s.verdicts[static_cast<int>(e.verdict)] += 1;
    s.pass_rate += e.verdict == sandbox::Verdict::Passed;
    s.mean_reward += e.reward, s.mean_kl += e.kl, s.coverage_share += e.coverage;
  }
  for (const Episode& e : eps) s.tokens += e.tokens;
  const double n = std::max(1, s.completions);
  s.pass_rate /= n, s.mean_reward /= n, s.mean_kl /= n, s.coverage_share /= n;
  for (auto& [name, v] : s.reward_terms) v /= n;
  s.mixed_verdict_share = mixed_verdict_share(groups);
  const double tokens = b.valid.sum().item<double>();
  s.kept_fraction = tokens > 0 ? (b.valid * b.fgo_mask).sum().item<double>() / tokens : 1.0;
}

}  // namespace

double scoring_temperature(const model::SamplingConfig& sc) { return sc.temperature > 0 ? sc.temperature : 1.0; }

double mixed_verdict_share(const std::vector<std::vector<sandbox::Verdict>>& groups) {
  if (groups.empty()) return 0;
  int mixed = 0;
  for (const auto& g : groups) mixed += std::set<sandbox::Verdict>(g.begin(), g.end()).size() > 1;
  return static_cast<double>(mixed) / static_cast<double>(groups.size());
}

namespace {

// Samples the rows in chunks of sc.batch_size and hands each finished chunk to the judging
// threads, so programs compile and run while the next chunk is sampled.
Status sample_and_judge(RolloutContext& ctx, const std::vector<tasks::Problem>& problems,
                        const std::vector<std::vector<int>>& prompts, const run::PpoConfig& c,
                        const model::SamplingConfig& sc, std::vector<model::Completion>& done,
                        std::vector<Judged>& judged, RolloutStats& stats) {
  const int K = c.samples_per_prompt;
  const size_t N = prompts.size(), chunk = static_cast<size_t>(std::max(1, sc.batch_size));
  done.resize(N), judged.resize(N);
  ThreadPool pool(ctx.judge_workers);
  Clock::time_point judge_start;
  for (size_t start = 0, index = 0; start < N; start += chunk, ++index) {
    const size_t end = std::min(N, start + chunk);
    model::SamplingConfig chunk_sc = sc;
    chunk_sc.seed = static_cast<int64_t>(mix_seed(static_cast<uint64_t>(sc.seed), index));
    const std::vector<std::vector<int>> part(prompts.begin() + start, prompts.begin() + end);
    const auto t0 = Clock::now();
    auto sampled = model::generate(ctx.policy, ctx.tok, part, chunk_sc);
    stats.sample_s += seconds_since(t0);
    if (!sampled) {
      pool.wait();
      return Error("rollout: " + sampled.error());
    }
    if (start == 0) judge_start = Clock::now();
    for (size_t i = start; i < end; ++i) {
      done[i] = std::move((*sampled)[i - start]);
      pool.submit([&, i] { judged[i] = run::judge_episode(ctx.judge, problems[i / K], done[i].text, byte_ranges(done[i]), c.fgo); });
    }
  }
  const auto wait_start = Clock::now();
  pool.wait();
  stats.judge_wait_s = seconds_since(wait_start);
  stats.judge_s = N ? seconds_since(judge_start) : 0.0;
  for (const Judged& j : judged) stats.judge_busy_s += j.seconds;
  return {};
}

}  // namespace

void randomize_masks(std::vector<run::JudgedEpisode>& judged, uint64_t seed) {
  for (size_t i = 0; i < judged.size(); ++i) {
    std::mt19937_64 rng(mix_seed(seed, i, 3));
    std::shuffle(judged[i].executed.begin(), judged[i].executed.end(), rng);
  }
}

Expected<Rollout> collect_rollout(RolloutContext& ctx, const std::vector<tasks::Problem>& problems,
                                  const run::PpoConfig& c, const model::SamplingConfig& sc) {
  const int K = c.samples_per_prompt;
  std::vector<std::vector<int>> prompts;
  for (const auto& p : problems) {
    auto ids = ctx.tok.encode_prompt(p.prompt);
    if (!ids) return Error("rollout: " + p.task_id + ": " + ids.error());
    prompts.insert(prompts.end(), K, *ids);
  }
  Rollout r;
  std::vector<model::Completion> done;
  std::vector<Judged> judged;
  if (Status st = sample_and_judge(ctx, problems, prompts, c, sc, done, judged, r.stats); !st) return Error(st.error());
  if (c.fgo && c.fgo_random) randomize_masks(judged, static_cast<uint64_t>(sc.seed));

  auto t0 = Clock::now();
  try {
    const int pad = ctx.tok.pad_id() >= 0 ? ctx.tok.pad_id() : std::max(0, ctx.tok.eos_id());
    lay_out(prompts, done, judged, pad, r.batch);
    const double temp = scoring_temperature(sc);
    const int chunk = std::max(1, sc.batch_size);
    auto now = score_all(ctx.policy, r.batch.ids, temp, chunk);
    r.batch.old_logprobs = now.logprobs * r.batch.valid, r.batch.old_values = now.values * r.batch.valid;
    r.batch.ref_logprobs = reference_logprobs(ctx, r.batch.ids, temp, chunk) * r.batch.valid;
    r.episodes.resize(done.size());
    shape_rewards(ctx, problems, K, prompts, done, judged, r);
  } catch (const c10::Error& e) {
    return Error(std::string("rollout: scoring: ") + e.what_without_backtrace());
  }
  r.stats.score_s = seconds_since(t0);
  summarize(r.episodes, static_cast<int>(problems.size()), r.batch, r.stats);
  return r;
}

}  // namespace stepcoder::trainer
