// The SFT loop (see sft.h), top to bottom: build tokenizer, model, optimizer and judge; then
// for each step {train on a batch; log; every N steps validation loss + pass@1 + checkpoint}.
#include "trainer/sft.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "model/chat_prompt.h"
#include "model/checkpoint.h"
#include "model/inference.h"
#include "model/hf_model.h"
#include "model/sampling.h"
#include "run/layout.h"
#include "run/metrics_keys.h"
#include "run/metrics_log.h"
#include "sandbox/judge.h"
#include "sandbox/pool.h"
#include "tasks/problem_io.h"
#include "trainer/sft_data.h"
#include "trainer/sft_eval.h"
#include "util/files.h"
#include "util/progress.h"

namespace stepcoder::trainer {

namespace key = run::key;    // the names in metrics.jsonl
namespace kind = run::kind;

namespace {

using model::Tokenizer;
using model::Transformer;

Expected<Tokenizer> prepare_tokenizer(const run::SftRunConfig& cfg, const std::vector<tasks::Problem>& train) {
  const std::string path = run::RunLayout(cfg.sft.run_dir).tokenizer();
  if (!cfg.model.tokenizer.empty()) return Tokenizer::load(cfg.model.tokenizer);
  // A Hugging Face model brings its own tokenizer, and so does a checkpoint SFT continues from.
  if (model::is_hf_dir(cfg.model.init_from)) return Tokenizer::load(cfg.model.init_from);
  if (!cfg.model.init_from.empty()) {
    auto ck = model::load_checkpoint(cfg.model.init_from, "cpu");
    if (!ck) return Error("model.init_from: " + ck.error());
    return Tokenizer(*ck->tokenizer);
  }
  if (file_exists(path)) return Tokenizer::load(path);  // a resumed run keeps its tokenizer
  std::vector<std::string> texts;
  for (const tasks::Problem& p : train) texts.push_back(p.prompt + p.canonical_solution);
  model::TokenizerTrainOptions o;
  o.vocab_size = cfg.sft.tokenizer_vocab;
  o.split_underscore = cfg.sft.tokenizer_split_underscore;
  o.seed = static_cast<uint64_t>(cfg.model.seed);
  auto tok = Tokenizer::train(texts, o);
  if (!tok) return Error(tok.error());
  if (Status st = tok->save(path); !st) return Error(st.error());
  return tok;
}

Expected<Transformer> build_model(const run::SftRunConfig& cfg, const Tokenizer& tok, const torch::Device& dev) {
  const std::string& from = cfg.model.init_from;
  if (!from.empty() && model::is_hf_dir(from)) {
    auto hf = model::import_hf(from, cfg.model.device);
    if (!hf) return Error(hf.error());
    auto m = model::adapt_to(*hf, cfg.model.lora, static_cast<uint64_t>(cfg.model.seed));
    m->apply_run_settings(cfg.model);
    return m;
  }
  model::ModelConfig mc = cfg.model;
  if (!from.empty()) {
    auto ck = model::read_checkpoint_config(from);
    if (!ck) return Error(ck.error());
    mc = *ck;
    mc.device = cfg.model.device;
  }
  if (mc.vocab_size == 0) mc.vocab_size = tok.vocab_size();
  if (mc.vocab_size != tok.vocab_size())
    return Error("model.vocab_size " + std::to_string(mc.vocab_size) + " differs from the tokenizer's " +
                 std::to_string(tok.vocab_size()) + " (HINT: set model.vocab_size: 0)");
  if (Status st = model::validate(mc); !st) return Error(st.error());
  torch::manual_seed(static_cast<uint64_t>(cfg.model.seed));
  Transformer m(mc);
  if (!from.empty())
    if (Status st = model::restore_training(from, m, nullptr, nullptr); !st) return Error(st.error());
  m = model::adapt_to(m, cfg.model.lora, static_cast<uint64_t>(cfg.model.seed));  // model.lora: train adapters on the start's weights
  m->apply_run_settings(cfg.model);
  m->to(dev);
  return m;
}

// Weight decay on matrices only: norms, biases and the value head's bias keep their scale.
std::unique_ptr<torch::optim::AdamW> make_optimizer(Transformer& m, const run::SftConfig& c) {
  std::vector<torch::Tensor> decay, no_decay;
  for (auto& p : m->named_parameters())  // under model.lora, only the adapters and the value head
    if (p.value().requires_grad()) (p.value().dim() >= 2 ? decay : no_decay).push_back(p.value());
  auto opts = torch::optim::AdamWOptions(c.lr).betas({0.9, 0.95}).weight_decay(c.weight_decay);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(opts));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(
                                    torch::optim::AdamWOptions(opts).weight_decay(0.0)));
  return std::make_unique<torch::optim::AdamW>(std::move(groups), opts);
}

double lr_at(int64_t step, const run::SftConfig& c) {
  if (step < c.warmup_steps) return c.lr * (step + 1) / static_cast<double>(c.warmup_steps);
  double progress = static_cast<double>(step - c.warmup_steps) / std::max<int64_t>(1, c.steps - c.warmup_steps);
  double floor = c.lr * c.min_lr_ratio;
  return floor + 0.5 * (c.lr - floor) * (1.0 + std::cos(M_PI * std::min(1.0, progress)));
}

double train_step(Transformer& m, torch::optim::AdamW& opt, const SftBatch& b, const run::SftConfig& c, double lr) {
  for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
  opt.zero_grad();
  auto loss = supervised_loss(m, b);
  loss.backward();
  if (c.grad_clip > 0) torch::nn::utils::clip_grad_norm_(m->parameters(), c.grad_clip);
  opt.step();
  return loss.item<double>();
}

double validation_loss(Transformer& m, const SftData& valid, const run::SftConfig& c, const torch::Device& dev) {
  torch::NoGradGuard no_grad;
  m->eval();
  double sum = 0;
  int n = 0;
  for (int i = 0; i < c.val_batches && static_cast<size_t>(i * c.batch_size) < valid.size(); ++i, ++n)
    sum += supervised_loss(m, valid.batch_at(static_cast<size_t>(i) * c.batch_size, c.batch_size, dev)).item<double>();
  m->train();
  return n ? sum / n : 0.0;
}

SampleFn sampler_for(Transformer& m, const Tokenizer& tok) {
  return [&m, &tok](const std::vector<std::string>& prompts, const model::SamplingConfig& sc)
             -> Expected<std::vector<model::Sample>> {
    auto ids = tok.encode_prompts(prompts);
    if (!ids) return Error(ids.error());
    auto done = model::generate(m, tok, *ids, sc);
    if (!done) return Error(done.error());
    std::vector<model::Sample> out;
    for (const model::Completion& c : *done)
      out.push_back({c.text, c.finish_reason, static_cast<int>(c.tokens.size()), 0.0});
    return out;
  };
}

}  // namespace

Expected<std::vector<tasks::Problem>> load_split(const run::SftConfig& cfg, const std::string& split) {
  const bool validation = split == "valid" || split == "select";
  const std::string& path = split == "train" ? cfg.train_file : validation ? cfg.valid_file : cfg.test_file;
  auto set = tasks::load_problems(path);
  if (!set) return Error("loading the " + split + " split: " + set.error());
  if (!validation || cfg.select_problems == 0) return std::move(set->problems);
  auto [select, rest] = split_evenly(std::move(set->problems), cfg.select_problems);
  if (split == "select") return select;
  if (rest.empty())
    return Error("the valid split of " + path + " is empty: sft.select_problems (" +
                 std::to_string(cfg.select_problems) + ") takes all of its " + std::to_string(select.size()) +
                 " problems (HINT: lower sft.select_problems)");
  return rest;
}

Json summary_json(const SftSummary& s) {
  return {{"steps", s.steps}, {"seconds", s.seconds}, {"tokens_per_s", s.tokens_per_s},
          {"best_valid_pass1", s.best_valid_pass1}, {"best_step", s.best_step},
          {"best_seconds", s.best_seconds}, {"final_valid_loss", s.final_valid_loss},
          {"parameters", s.parameters}, {"matmul_gflops", s.matmul_gflops},
          {"best_checkpoint", s.best_checkpoint}, {"last_checkpoint", s.last_checkpoint},
          {"time_limited", s.time_limited}};
}


namespace {

// One SFT run: the state that the phases of the loop share.
class SftRun {
 public:
  SftRun(const run::SftRunConfig& cfg, const SftOptions& opts) : cfg_(cfg), opts_(opts) {}
  Status setup();
  Expected<SftSummary> train();

 private:
  Status setup_judge();
  Status resume();
  Status evaluate(int64_t step);
  Status save(const std::string& name, int64_t step);
  Status log(Json j);
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  const run::SftRunConfig& cfg_;
  SftOptions opts_;
  torch::Device dev_{torch::kCPU};
  std::unique_ptr<Tokenizer> tok_;
  Transformer model_{nullptr};
  std::unique_ptr<torch::optim::AdamW> opt_;
  std::unique_ptr<SftData> train_, valid_;
  std::vector<tasks::Problem> valid_problems_;
  std::unique_ptr<sandbox::SandboxJudge> judge_;
  std::unique_ptr<sandbox::JudgePool> pool_;
  run::MetricsLog metrics_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  int64_t step_ = 0, tokens_ = 0;
  double seconds_before_ = 0;  // training time of earlier runs (resume)
  SftSummary summary_;
};

Status SftRun::setup() {
  const run::SftConfig& c = cfg_.sft;
  summary_.matmul_gflops = model::init_torch_runtime(cfg_.model.threads);
  if (summary_.matmul_gflops < model::kSlowBlasGflops)
    std::fprintf(stderr, "warning: matrix multiply runs at %.1f GFLOP/s; LibTorch may be using the reference "
                 "BLAS (HINT: install libopenblas0-openmp and select it with update-alternatives)\n",
                 summary_.matmul_gflops);
  auto dev = model::resolve_device(cfg_.model.device);
  if (!dev) return Error(dev.error());
  dev_ = *dev;
  if (Status st = make_dirs(run::RunLayout(c.run_dir).checkpoints()); !st) return Error("sft: " + st.error());
  auto train = load_split(c, "train");
  if (!train) return Error(train.error());
  run::SftConfig whole = c;  // the validation loss, a diagnostic, reads the whole file
  whole.select_problems = 0;
  auto valid = load_split(whole, "valid");
  if (!valid) return Error(valid.error());
  auto select = load_split(c, "select");
  if (!select) return Error(select.error());
  valid_problems_ = *select;
  keep_evenly_spaced(valid_problems_, c.eval_problems);
  auto tok = prepare_tokenizer(cfg_, *train);
  if (!tok) return Error("sft: " + tok.error());
  if (Status st = model::apply_prompt_format(*tok, cfg_.model.prompt, "the tokenizer"); !st) return Error("sft: " + st.error());
  tok_ = std::make_unique<Tokenizer>(std::move(*tok));
  auto m = build_model(cfg_, *tok_, dev_);
  if (!m) return Error("sft: " + m.error());
  model_ = *m;
  summary_.parameters = model_->parameter_count();
  const int context = model_->config().context;
  auto train_data = SftData::build(*train, *tok_, context, cfg_.model.seed);
  auto valid_data = SftData::build(*valid, *tok_, context, cfg_.model.seed);
  if (!train_data || !valid_data) return Error("sft: " + (train_data ? valid_data : train_data).error());
  train_ = std::make_unique<SftData>(std::move(*train_data));
  valid_ = std::make_unique<SftData>(std::move(*valid_data));
  if (train_->size() == 0) return Error("sft: no training pair fits the context of " + std::to_string(context) + " tokens");
  if (train_->skipped_long)
    std::fprintf(stderr, "warning: %d training pairs are longer than the context (%d tokens) and were skipped\n",
                 train_->skipped_long, context);
  opt_ = make_optimizer(model_, c);
  const std::string metrics = run::RunLayout(c.run_dir).metrics();
  if (opts_.resume) {
    if (Status st = resume(); !st) return st;
    // Lines of steps after the checkpoint are logged again as the run repeats them.
    if (auto dropped = run::truncate_metrics(metrics, step_); !dropped) return Error("sft --resume: " + dropped.error());
  }
  if (Status st = metrics_.open(metrics); !st) return Error("sft: " + st.error());
  return setup_judge();
}

Status SftRun::setup_judge() {
  if (opts_.judge) {
    pool_ = std::make_unique<sandbox::JudgePool>(*opts_.judge, cfg_.sandbox.workers);
    return {};
  }
  auto judge = sandbox::SandboxJudge::create(cfg_.sandbox);
  if (!judge) return Error("sft: the judge is needed for pass@1: " + judge.error());
  judge_ = std::move(*judge);
  pool_ = std::make_unique<sandbox::JudgePool>(*judge_, cfg_.sandbox.workers);
  return {};
}

Status SftRun::resume() {
  const std::string path = run::RunLayout(cfg_.sft.run_dir).checkpoint("last");
  if (!file_exists(path)) return Error("sft --resume: " + path + " does not exist");
  model::TrainState st;
  if (Status s = model::restore_training(path, model_, opt_.get(), &st); !s) return s;
  try {
    Json extra = Json::parse(st.extra);
    train_->seek(extra.at("epoch"), extra.at("cursor"));
    summary_.best_valid_pass1 = extra.at("best_valid_pass1");
    summary_.best_step = extra.at("best_step");
    tokens_ = extra.at("tokens");
    seconds_before_ = extra.at("seconds");
  } catch (const Json::exception& e) {
    return Error("sft --resume: " + path + ": bad trainer state: " + e.what());
  }
  step_ = st.step;
  return {};
}

Status SftRun::save(const std::string& name, int64_t step) {
  Json extra = {{"epoch", train_->epoch}, {"cursor", train_->cursor},
                {"best_valid_pass1", summary_.best_valid_pass1}, {"best_step", summary_.best_step},
                {"tokens", tokens_}, {"seconds", seconds_before_ + elapsed()}};
  return model::save_checkpoint(run::RunLayout(cfg_.sft.run_dir).checkpoint(name), model_, *tok_, opt_.get(),
                                {step, extra.dump()});
}

Status SftRun::log(Json j) {
  if (Status st = metrics_.append(j); !st) return Error("sft: " + st.error());
  if (opts_.on_metrics) opts_.on_metrics(j);
  return {};
}

Status SftRun::evaluate(int64_t step) {
  double vloss = validation_loss(model_, *valid_, cfg_.sft, dev_);
  model::SamplingConfig sc = cfg_.sampling;
  run::EvalConfig ec;
  ec.temperatures = {0.0};
  ec.k = {1};
  auto report = evaluate_pass_at_k(valid_problems_, sampler_for(model_, *tok_), *pool_, sc, ec);
  if (!report) return Error("sft: validation pass@1: " + report.error());
  model_->train();
  double pass1 = report->results[0].pass_at_k[1];
  summary_.final_valid_loss = vloss;
  Json j = {{key::kKind, kind::kEval}, {key::kStep, step}, {key::kValidLoss, vloss},
            {key::kValidPass1, pass1},
            {key::kSeconds, seconds_before_ + elapsed()}, {key::kEvalSeconds, report->seconds},
            {key::kVerdicts, report_json(*report)["results"][0]["verdicts"]}};
  if (Status st = log(j); !st) return st;
  if (pass1 > summary_.best_valid_pass1) {
    summary_.best_valid_pass1 = pass1, summary_.best_step = step;
    summary_.best_seconds = seconds_before_ + elapsed();
    if (Status st = save("best", step); !st) return st;
  }
  return save("last", step);
}

Expected<SftSummary> SftRun::train() {
  const run::SftConfig& c = cfg_.sft;
  Progress bar("sft", c.steps, opts_.progress);
  model_->train();
  auto t_log = std::chrono::steady_clock::now();
  int64_t tokens_since = 0;
  try {
    while (step_ < c.steps) {
      SftBatch b = train_->next_batch(c.batch_size, dev_);
      double lr = lr_at(step_, c);
      double loss = train_step(model_, *opt_, b, c, lr);
      ++step_;
      tokens_ += b.tokens, tokens_since += b.tokens;
      double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_log).count();
      bool out_of_time = c.time_limit_s > 0 && elapsed() >= c.time_limit_s;
      if (step_ % c.log_every == 0 || step_ == c.steps) {
        if (Status st = log({{key::kKind, kind::kTrain}, {key::kStep, step_}, {key::kLoss, loss},
                             {key::kLr, lr}, {key::kTokensPerS, tokens_since / std::max(dt, 1e-9)},
                             {key::kSeconds, seconds_before_ + elapsed()}});
            !st)
          return Error(st.error());
        char status[96];
        std::snprintf(status, sizeof(status), "loss %.3f lr %.1e %.0f tok/s", loss, lr, tokens_since / std::max(dt, 1e-9));
        bar.update(step_, status);
        t_log = std::chrono::steady_clock::now(), tokens_since = 0;
      }
      bool last = step_ == c.steps || out_of_time;
      if ((c.eval_every > 0 && step_ % c.eval_every == 0) || last)
        if (Status st = evaluate(step_); !st) return Error(st.error());
      if (out_of_time && step_ < c.steps) {
        summary_.time_limited = true;
        std::fprintf(stderr, "warning: sft: sft.time_limit_s (%.0f s) stopped the run at step %lld of %lld, so this "
                     "model differs from the one a full run trains (HINT: raise or drop the limit)\n",
                     c.time_limit_s, static_cast<long long>(step_), static_cast<long long>(c.steps));
        break;
      }
    }
  } catch (const c10::Error& e) {
    return Error("sft: step " + std::to_string(step_) + ": " + e.what_without_backtrace());
  }
  bar.finish();
  summary_.steps = step_;
  summary_.seconds = seconds_before_ + elapsed();
  summary_.tokens_per_s = tokens_ / std::max(summary_.seconds, 1e-9);
  summary_.best_checkpoint = run::RunLayout(c.run_dir).checkpoint("best");
  summary_.last_checkpoint = run::RunLayout(c.run_dir).checkpoint("last");
  Json s = summary_json(summary_);
  s[key::kKind] = kind::kSummary;
  if (Status st = log(s); !st) return Error(st.error());
  return summary_;
}

}  // namespace

Expected<SftSummary> run_sft(const run::SftRunConfig& cfg, const SftOptions& opts) {
  SftRun run(cfg, opts);
  try {
    if (Status st = run.setup(); !st) return Error(st.error());
  } catch (const c10::Error& e) {
    return Error(std::string("sft: ") + e.what_without_backtrace());
  }
  return run.train();
}

}  // namespace stepcoder::trainer
