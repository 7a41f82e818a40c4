// pass@k evaluation (see sft_eval.h).
#include "trainer/sft_eval.h"

#include <chrono>
#include <cmath>
#include <set>
#include <sstream>

namespace stepcoder::trainer {

double pass_at_k(int n, int c, int k) {
  if (k <= 0 || n <= 0) return 0;
  if (n - c < k) return 1.0;
  double fail = 1.0;  // prod_{i=n-c+1}^{n} (1 - k / i)
  for (int i = n - c + 1; i <= n; ++i) fail *= 1.0 - static_cast<double>(k) / i;
  return 1.0 - fail;
}

namespace {

Expected<TemperatureResult> evaluate_at(const std::vector<tasks::Problem>& problems, const SampleFn& sample,
                                        sandbox::JudgePool& pool, model::SamplingConfig sc,
                                        const run::EvalConfig& cfg, double temperature,
                                        const std::function<void(size_t, size_t)>& progress) {
  TemperatureResult r;
  r.temperature = temperature;
  r.samples_per_problem = temperature > 0 ? cfg.n : 1;
  sc.temperature = temperature;
  std::vector<std::string> prompts;
  for (const tasks::Problem& p : problems)
    for (int i = 0; i < r.samples_per_problem; ++i) prompts.push_back(p.prompt);
  auto samples = sample(prompts, sc);
  if (!samples) return Error("sampling at temperature " + std::to_string(temperature) + ": " + samples.error());
  std::vector<sandbox::JudgeRequest> reqs;
  for (size_t i = 0; i < prompts.size(); ++i)
    reqs.push_back(problems[i / r.samples_per_problem].request((*samples)[i].text));
  auto results = pool.judge_all(reqs, [&](size_t done) {
    if (progress) progress(done, reqs.size());
  });
  const int n = r.samples_per_problem;
  for (size_t p = 0; p < problems.size(); ++p) {
    int correct = 0;
    std::set<std::string> distinct;
    for (int i = 0; i < n; ++i) {
      const auto& res = results[p * n + i];
      ++r.verdicts[static_cast<int>(res.verdict)];
      correct += res.verdict == sandbox::Verdict::Passed;
      distinct.insert((*samples)[p * n + i].text);
      r.mean_tokens += (*samples)[p * n + i].tokens;
    }
    r.correct.push_back(correct);
    r.distinct += static_cast<double>(distinct.size()) / n;
    for (double kd : cfg.k) {
      int k = static_cast<int>(kd);
      if (k <= n) r.pass_at_k[k] += pass_at_k(n, correct, k);
    }
  }
  const double count = std::max<size_t>(1, problems.size());
  for (auto& [k, v] : r.pass_at_k) v /= count;
  r.distinct /= count;
  r.mean_tokens /= count * n;
  return r;
}

}  // namespace

Expected<EvalReport> evaluate_pass_at_k(const std::vector<tasks::Problem>& problems, const SampleFn& sample,
                                        sandbox::JudgePool& pool, const model::SamplingConfig& sampling,
                                        const run::EvalConfig& cfg,
                                        const std::function<void(size_t, size_t)>& progress) {
  auto t0 = std::chrono::steady_clock::now();
  EvalReport report;
  report.problems = static_cast<int>(problems.size());
  for (const tasks::Problem& p : problems) report.task_ids.push_back(p.task_id);
  for (double t : cfg.temperatures) {
    auto r = evaluate_at(problems, sample, pool, sampling, cfg, t, progress);
    if (!r) return Error(r.error());
    report.results.push_back(std::move(*r));
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

Json report_json(const EvalReport& r) {
  Json out = {{"problems", r.problems}, {"seconds", r.seconds}, {"task_ids", r.task_ids},
              {"results", Json::array()}};
  for (const TemperatureResult& t : r.results) {
    Json j = {{"temperature", t.temperature}, {"samples_per_problem", t.samples_per_problem},
              {"distinct", t.distinct}, {"mean_tokens", t.mean_tokens}, {"correct", t.correct}};
    for (const auto& [k, v] : t.pass_at_k) j["pass@" + std::to_string(k)] = v;
    Json mix = Json::object();
    for (int v = 0; v < sandbox::kVerdictCount; ++v)
      if (t.verdicts[v]) mix[sandbox::verdict_name(static_cast<sandbox::Verdict>(v))] = t.verdicts[v];
    j["verdicts"] = mix;
    out["results"].push_back(j);
  }
  return out;
}

std::string report_text(const EvalReport& r) {
  std::ostringstream os;
  os << r.problems << " problems, " << static_cast<int>(r.seconds) << " s\n";
  for (const TemperatureResult& t : r.results) {
    os << "  T=" << t.temperature << " (n=" << t.samples_per_problem << ")";
    for (const auto& [k, v] : t.pass_at_k) os << "  pass@" << k << " " << std::round(v * 1000) / 10 << "%";
    os << "  distinct " << std::round(t.distinct * 100) << "%  verdicts";
    for (int v = 0; v < sandbox::kVerdictCount; ++v)
      if (t.verdicts[v]) os << " " << sandbox::verdict_name(static_cast<sandbox::Verdict>(v)) << "=" << t.verdicts[v];
    os << "\n";
  }
  return os.str();
}

void keep_evenly_spaced(std::vector<tasks::Problem>& problems, int n) {
  if (n <= 0 || static_cast<size_t>(n) >= problems.size()) return;
  problems = split_evenly(std::move(problems), n).first;
}

std::pair<std::vector<tasks::Problem>, std::vector<tasks::Problem>> split_evenly(std::vector<tasks::Problem> problems,
                                                                                 int n) {
  std::pair<std::vector<tasks::Problem>, std::vector<tasks::Problem>> out;
  if (n <= 0) {
    out.second = std::move(problems);
    return out;
  }
  const size_t size = problems.size(), kept = std::min(size, static_cast<size_t>(n));
  std::vector<bool> chosen(size, false);
  for (size_t i = 0; i < kept; ++i) chosen[i * size / kept] = true;
  for (size_t i = 0; i < size; ++i) (chosen[i] ? out.first : out.second).push_back(std::move(problems[i]));
  return out;
}

}  // namespace stepcoder::trainer
