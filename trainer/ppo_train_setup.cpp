// Start-up of a PPO run (see ppo_train.h): everything that bad input can break is checked here,
// before the first step: data and curriculum, the starting checkpoint and its shape, the judge
// (one known-good program), and on --resume the saved state, episodes and metrics.
#include <cstdio>

#include "curriculum/make_source.h"
#include "model/chat_prompt.h"
#include "model/checkpoint.h"
#include "model/hf_model.h"
#include "model/inference.h"
#include "run/layout.h"
#include "tasks/problem_io.h"
#include "trainer/ppo_train_impl.h"
#include "trainer/sft.h"
#include "trainer/sft_eval.h"
#include "util/files.h"

namespace stepcoder::trainer {
namespace {

run::RunLayout layout_of(const run::TrainRunConfig& c) { return run::RunLayout(c.train.run_dir); }

// A checkpoint whose model has the shape the config's `model:` section describes.
Expected<model::LoadedCheckpoint> load_matching(const std::string& path, const run::TrainRunConfig& cfg,
                                                const std::string& what) {
  if (!file_exists(path))
    return Error(what + ": " + path + " does not exist (HINT: point train.init at an SFT checkpoint, e.g. " +
                 run::RunLayout(cfg.sft.run_dir).checkpoint("best") + ", or set train.run_sft_first: true)");
  auto ck = model::load_checkpoint(path, cfg.model.device);
  if (!ck) return Error(what + ": " + ck.error());
  model::ModelConfig want = cfg.model;
  if (want.vocab_size == 0) want.vocab_size = ck->tokenizer->vocab_size();
  want.lora = ck->config.lora;  // adapters are the run's choice (adapt_to), not the checkpoint's shape
  // A run that started from a Hugging Face directory took its shape from that directory.
  if (!model::is_hf_dir(cfg.train.init) && model::describe_shape(want) != model::describe_shape(ck->config))
    return Error(what + ": " + path + " holds a model of shape {" + model::describe_shape(ck->config) +
                 "} but the config's model section describes {" + model::describe_shape(want) +
                 "} (HINT: use the model section of the SFT run that wrote the checkpoint)");
  return ck;
}

std::unique_ptr<torch::optim::AdamW> make_optimizer(model::Transformer& m, const run::PpoConfig& c) {
  return std::make_unique<torch::optim::AdamW>(m->trainable_parameters(),
                                               torch::optim::AdamWOptions(c.lr).weight_decay(0.0));
}

bool any_canonical(const std::vector<tasks::Problem>& ps) {
  for (const auto& p : ps)
    if (!p.canonical_solution.empty()) return true;
  return false;
}

}  // namespace

Status PpoTrainer::Impl::setup() {
  if (cfg.ppo.advantage == "group" && cfg.ppo.samples_per_prompt < 2)
    return Error("ppo.advantage: group compares the samples of one prompt, so ppo.samples_per_prompt must be "
                 "at least 2 (it is " + std::to_string(cfg.ppo.samples_per_prompt) + ")");
  // The update scores every token under logits / temperature over the whole vocabulary; tokens
  // drawn from a truncated distribution would make its ratio against the old policy wrong.
  if (cfg.sampling.top_k > 0 || cfg.sampling.top_p < 1.0)
    return Error("sampling.top_k / sampling.top_p: PPO's rollouts sample from the whole distribution, which "
                 "the update scores (HINT: sampling.top_k: 0 and sampling.top_p: 1 for train; eval may truncate)");
  const double gflops = model::init_torch_runtime(cfg.model.threads);
  if (gflops < model::kSlowBlasGflops)
    std::fprintf(stderr, "warning: matrix multiply runs at %.1f GFLOP/s (HINT: install libopenblas0-openmp)\n", gflops);
  auto d = model::resolve_device(cfg.model.device);
  if (!d) return Error("model.device: " + d.error());
  dev = *d;
  if (Status st = load_data(); !st) return st;
  if (opts.resume) {
    if (Status st = resume(); !st) return st;
  } else if (!cfg.train.run_sft_first) {
    if (cfg.train.init.empty())
      return Error("train.init is empty (HINT: set it to an SFT checkpoint such as " +
                   run::RunLayout(cfg.sft.run_dir).checkpoint("best") + ", or set train.run_sft_first: true)");
    if (Status st = load_start(cfg.train.init); !st) return st;
  }
  if (Status st = start_judge(); !st) return st;
  return open_outputs();
}

Status PpoTrainer::Impl::load_data() {
  // PPO needs tests, not reference solutions: problems without one stay (unless the
  // curriculum must cut stages from them, below).
  tasks::LoadOptions lo;
  lo.keep_without_solution = true;
  auto train = tasks::load_problems(cfg.sft.train_file, lo);
  if (!train) return Error("sft.train_file: " + train.error());
  train_problems = std::move(train->problems);
  if (train_problems.empty()) return Error("sft.train_file: " + cfg.sft.train_file + " holds no problems");
  // The curriculum cuts its stages from reference solutions and the supervised term trains on them.
  const char* needs = cfg.curriculum.enabled ? "curriculum.enabled" : cfg.ppo.sft_coef > 0 ? "ppo.sft_coef > 0" : nullptr;
  if (needs && !any_canonical(train_problems))
    return Error("sft.train_file: " + cfg.sft.train_file + ": no problem has a canonical_solution, which " + needs +
                 " needs (HINT: add reference solutions, or set curriculum.enabled: false and ppo.sft_coef: 0)");
  if (cfg.train.eval_every > 0) {
    auto held = load_split(cfg.sft, cfg.train.eval_split);
    if (!held) return Error("train.eval_split: " + held.error());
    eval_problems = std::move(*held);
    // Splits are ordered by family: a prefix would measure one family, an even spread all of them.
    keep_evenly_spaced(eval_problems, cfg.train.eval_problems);
  }
  auto src = opts.replay_run_dir.empty()
                 ? curriculum::make_source(cfg.curriculum, train_problems, static_cast<uint64_t>(cfg.train.seed))
                 : curriculum::make_replay_source(opts.replay_run_dir, train_problems);
  if (!src) return Error((opts.replay_run_dir.empty() ? "curriculum: " : "--replay-curriculum: ") + src.error());
  source = std::move(*src);
  return {};
}

Status PpoTrainer::Impl::start_judge() {
  if (opts.judge) {
    judge = opts.judge;
    return {};
  }
  auto j = sandbox::SandboxJudge::create(cfg.sandbox);
  if (!j) return Error("sandbox: the judge does not start: " + j.error() + " (HINT: check sandbox.compiler)");
  own_judge = std::move(*j);
  judge = own_judge.get();
  // A program every working judge passes: a broken compiler, sandbox or harness shows up now
  // rather than as every completion failing.
  sandbox::JudgeRequest req;
  req.program = "#include <bits/stdc++.h>\nint add(int a, int b) { return a + b; }\n";
  req.tests.kind = sandbox::Tests::Kind::Assert;
  req.tests.code = "int main() { assert(add(2, 3) == 5); return 0; }\n";
  sandbox::JudgeResult r = judge->judge(req);
  if (r.verdict != sandbox::Verdict::Passed)
    return Error(std::string("sandbox: the judge failed a known-good program (") + sandbox::verdict_name(r.verdict) +
                 ": " + r.message + ") (HINT: check sandbox.compiler and the sandbox limits)");
  return {};
}

// A Hugging Face directory: its config.json gives the shape (the config's model section
// only the device and threads), its tokenizer the vocabulary; the value head starts at zero.
static Expected<model::LoadedCheckpoint> load_hf_start(const std::string& from, const run::TrainRunConfig& cfg) {
  auto tok = model::Tokenizer::load(from);
  if (!tok) return Error("train.init: " + from + ": " + tok.error());
  auto m = model::import_hf(from, cfg.model.device);
  if (!m) return Error("train.init: " + m.error());
  if ((*m)->config().vocab_size < tok->vocab_size())
    return Error("train.init: " + from + ": the model's vocab_size " + std::to_string((*m)->config().vocab_size) +
                 " is smaller than its tokenizer's " + std::to_string(tok->vocab_size()));
  model::LoadedCheckpoint ck;
  ck.model = *m;
  ck.config = (*m)->config();
  ck.tokenizer = std::make_shared<model::Tokenizer>(std::move(*tok));
  return ck;
}

Status PpoTrainer::Impl::load_start(const std::string& from) {
  auto ck = model::is_hf_dir(from) ? load_hf_start(from, cfg) : load_matching(from, cfg, "train.init");
  if (!ck) return Error(ck.error());
  init = from;
  tok = ck->tokenizer;
  if (Status st = model::apply_prompt_format(*tok, cfg.model.prompt, from); !st) return Error("train.init: " + st.error());
  attach_policy(model::adapt_to(ck->model, cfg.model.lora, static_cast<uint64_t>(cfg.model.seed)));
  model_ready = true;
  return {};
}

// The policy, its KL reference and its optimizer. Under LoRA the reference is the policy itself
// with its adapters off (rollout.cpp), with no second copy of the weights.
void PpoTrainer::Impl::attach_policy(model::Transformer m) {
  policy = m;
  policy->apply_run_settings(cfg.model);  // in bf16, a frozen reference copy below holds bf16 weights only
  policy->train();
  reference = policy->config().lora.enabled() ? policy : model::clone_frozen(policy);
  opt = make_optimizer(policy, cfg.ppo);
}

Status PpoTrainer::Impl::resume() {
  const run::RunLayout layout = layout_of(cfg);
  const std::string last = layout.checkpoint("last"), reference_path = layout.checkpoint("reference");
  if (!file_exists(last))
    return Error("--resume: " + last + " does not exist (HINT: start without --resume)");
  auto ref = load_matching(reference_path, cfg, "--resume");
  if (!ref) return Error(ref.error());
  tok = ref->tokenizer;
  if (Status st = model::apply_prompt_format(*tok, cfg.model.prompt, reference_path); !st)
    return Error("--resume: " + st.error());
  if (!(ref->config.lora == cfg.model.lora))
    return Error("--resume: " + reference_path + " was trained with model.lora " + model::describe_lora(ref->config.lora) +
                 ", but the config sets " + model::describe_lora(cfg.model.lora) + " (HINT: resume with the run's own model.lora)");
  attach_policy(ref->model);
  model::TrainState st;
  if (Status s = model::restore_training(last, policy, opt.get(), &st); !s) return Error("--resume: " + s.error());
  try {
    const Json extra = Json::parse(st.extra);
    run::RewardConfig rc = cfg.ppo.rewards;
    rc.kl_coef = extra.at("kl_coef").get<double>();
    kl = KlController(rc);
    if (Status s = source->restore(extra.at("source")); !s) return Error("--resume: " + last + ": " + s.error());
    seconds_before = extra.at("seconds").get<double>();
    tokens = extra.at("tokens").get<int64_t>();
    init = extra.value("init", "");
  } catch (const Json::exception& e) {
    return Error("--resume: " + last + ": bad trainer state: " + e.what());
  }
  step = first_step = st.step;
  model_ready = true;
  return {};
}

Status PpoTrainer::Impl::open_outputs() {
  const std::string& run = cfg.train.run_dir;
  const run::RunLayout layout = layout_of(cfg);
  if (Status st = make_dirs(layout.checkpoints()); !st) return Error("train.run_dir: " + st.error());
  auto s = run::EpisodeStore::open(layout.episodes());
  if (!s) return Error(s.error());
  store = std::move(*s);
  if (opts.resume) {
    if (Status st = store->truncate_after(step); !st) return Error("--resume: " + st.error());
    auto dropped = run::truncate_metrics(layout.metrics(), step);
    if (!dropped) return Error("--resume: " + dropped.error());
  } else {
    auto n = store->count();
    if (!n) return Error(n.error());
    if (*n > 0 || file_exists(layout.checkpoint("last")))
      return Error("train.run_dir: " + run + " already holds a run (" + std::to_string(*n) +
                   " episodes) (HINT: pass --resume to continue it, or choose another train.run_dir)");
  }
  run::TrainRunConfig copy = cfg;
  if (Status st = write_file_atomic(layout.config(), run::train_run_schema(copy).dump_yaml()); !st)
    return Error(st.error());
  if (Status st = metrics.open(layout.metrics()); !st) return st;
  metrics.on_line = opts.on_metrics;
  chain = make_reward_chain(cfg.ppo.rewards, kl_in_loss(cfg.ppo) ? nullptr : &kl);
  if (model_ready && !opts.resume) return save_reference();
  return {};
}

Status PpoTrainer::Impl::save_reference() {
  Json extra = {{"init", init}};
  return model::save_checkpoint(layout_of(cfg).checkpoint("reference"), reference, *tok, nullptr, {0, extra.dump()});
}

Status PpoTrainer::Impl::run_sft_first() {
  SftOptions so;
  so.progress = opts.progress;
  so.judge = judge;
  auto s = run_sft(cfg, so);
  if (!s) return Error("train.run_sft_first: " + s.error());
  const std::string from = file_exists(s->best_checkpoint) ? s->best_checkpoint : s->last_checkpoint;
  if (Status st = load_start(from); !st) return st;
  return save_reference();
}

PpoTrainer::PpoTrainer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PpoTrainer::~PpoTrainer() = default;

Expected<std::unique_ptr<PpoTrainer>> PpoTrainer::create(const run::TrainRunConfig& cfg, const TrainOptions& opts) {
  auto impl = std::make_unique<Impl>(cfg, opts);
  try {
    if (Status st = impl->setup(); !st) return Error(st.error());
  } catch (const c10::Error& e) {
    return Error(std::string("train: ") + e.what_without_backtrace());
  }
  return std::unique_ptr<PpoTrainer>(new PpoTrainer(std::move(impl)));
}

Expected<TrainSummary> PpoTrainer::train() { return impl_->train(); }

}  // namespace stepcoder::trainer
