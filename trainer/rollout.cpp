// Rollout collection: sample, judge, score, shape rewards (see rollout.h).
#include "trainer/rollout.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "coverage/judge_coverage.h"
#include "coverage/token_mask.h"

namespace stepcoder::trainer {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Judged {
  sandbox::JudgeResult result;
  std::vector<uint8_t> executed;  // one per token
  bool coverage = false;
};

std::vector<std::pair<size_t, size_t>> byte_ranges(const model::Completion& c) {
  std::vector<std::pair<size_t, size_t>> r;
  for (const auto& s : c.spans) r.emplace_back(static_cast<size_t>(s.begin), static_cast<size_t>(s.end));
  r.resize(c.tokens.size(), {c.text.size(), c.text.size()});  // spans may stop short at a stop string
  return r;
}

Judged judge_one(sandbox::Judge& judge, const tasks::Problem& p, const model::Completion& c, bool fgo) {
  Judged j;
  j.executed.assign(c.tokens.size(), 1);
  sandbox::JudgeRequest req = p.request(c.text);
  if (!fgo) {
    j.result = judge.judge(req);
    return j;
  }
  coverage::CoverageResult cov;
  j.result = coverage::judge_with_coverage(judge, req, &cov);
  if (cov.available && j.result.verdict != sandbox::Verdict::CompileError) {
    j.executed = coverage::token_mask(cov.instrumented, cov.merged, p.prompt.size(), byte_ranges(c));
    j.executed.resize(c.tokens.size(), 1);
    j.coverage = true;
  }
  return j;
}

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

// Rewards per row from the chain, placed on the completion's positions; fills the episodes.
void shape_rewards(RolloutContext& ctx, const std::vector<tasks::Problem>& problems, int K,
                   const std::vector<std::vector<int>>& prompts, const std::vector<model::Completion>& done,
                   const std::vector<Judged>& judged, Rollout& r) {
  PpoBatch& b = r.batch;
  b.rewards = torch::zeros_like(b.valid);  // (N, L-1)
  for (size_t i = 0; i < done.size(); ++i) {
    const tasks::Problem& p = problems[i / K];
    const int64_t P = static_cast<int64_t>(prompts[i].size()), T = static_cast<int64_t>(done[i].tokens.size());
    const std::string program = p.program(done[i].text);
    const auto spans = byte_ranges(done[i]);
    auto lp = b.old_logprobs[i].narrow(0, P - 1, T), ref = b.ref_logprobs[i].narrow(0, P - 1, T);  // (T)
    RewardInput in{judged[i].result, program, p.prompt.size(), spans, lp, ref};
    torch::Tensor rw = ctx.rewards.compute(in, &r.stats.reward_terms);  // (T)
    b.rewards[i].narrow(0, P - 1, T).copy_(rw);
    Episode& e = r.episodes[i];
    e.problem = static_cast<int>(i / K), e.completion = done[i].text;
    e.verdict = judged[i].result.verdict, e.pass_ratio = judged[i].result.pass_ratio;
    e.tokens = static_cast<int>(T), e.reward = rw.sum().item<double>();
    e.kl = (lp - ref).sum().item<double>();
    e.kept_fraction = T ? b.fgo_mask[i].narrow(0, P - 1, T).mean().item<double>() : 1.0;
    e.coverage = judged[i].coverage, e.message = judged[i].result.message;
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

Expected<Rollout> collect_rollout(RolloutContext& ctx, const std::vector<tasks::Problem>& problems,
                                  const PpoConfig& c, const model::SamplingConfig& sc) {
  const int K = c.samples_per_prompt;
  std::vector<std::vector<int>> prompts;
  for (const auto& p : problems)
    for (int k = 0; k < K; ++k) prompts.push_back(ctx.tok.encode_ids(p.prompt));
  Rollout r;
  auto t0 = Clock::now();
  auto done = model::generate(ctx.policy, ctx.tok, prompts, sc);
  if (!done) return Error("rollout: " + done.error());
  r.stats.sample_s = seconds_since(t0);

  t0 = Clock::now();
  std::vector<Judged> judged;
  for (size_t i = 0; i < done->size(); ++i) judged.push_back(judge_one(ctx.judge, problems[i / K], (*done)[i], c.fgo));
  r.stats.judge_s = seconds_since(t0);

  t0 = Clock::now();
  try {
    const int pad = ctx.tok.pad_id() >= 0 ? ctx.tok.pad_id() : std::max(0, ctx.tok.eos_id());
    lay_out(prompts, *done, judged, pad, r.batch);
    const double temp = scoring_temperature(sc);
    const int chunk = std::max(1, sc.batch_size);
    auto now = score_all(ctx.policy, r.batch.ids, temp, chunk);
    r.batch.old_logprobs = now.logprobs * r.batch.valid, r.batch.old_values = now.values * r.batch.valid;
    r.batch.ref_logprobs = score_all(ctx.reference, r.batch.ids, temp, chunk).logprobs * r.batch.valid;
    r.episodes.resize(done->size());
    shape_rewards(ctx, problems, K, prompts, *done, judged, r);
  } catch (const c10::Error& e) {
    return Error(std::string("rollout: scoring: ") + e.what_without_backtrace());
  }
  r.stats.score_s = seconds_since(t0);
  summarize(r.episodes, static_cast<int>(problems.size()), r.batch, r.stats);
  return r;
}

}  // namespace stepcoder::trainer
