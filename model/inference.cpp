// InferenceModel (see inference.h): a checkpoint or Llama directory behind a LibTorch-free
// interface; LibTorch errors come back as Expected errors with context.
#include "model/inference.h"

#include <malloc.h>

#include <chrono>

#include "model/checkpoint.h"
#include "model/hf_model.h"
#include "model/sampling.h"
#include "util/files.h"

namespace stepcoder::model {

struct InferenceModel::Impl {
  ModelConfig config;
  Transformer model{nullptr};
  std::shared_ptr<Tokenizer> tokenizer;
};

InferenceModel::InferenceModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
InferenceModel::~InferenceModel() = default;

Expected<std::unique_ptr<InferenceModel>> InferenceModel::load(const std::string& path, const std::string& device,
                                                               int threads, const PromptFormat& hf_format) {
  init_torch_runtime(threads);
  auto impl = std::make_unique<Impl>();
  if (is_hf_dir(path)) {  // a Hugging Face model directory
    // The tokenizer first: parsing a large tokenizer.json peaks at a few hundred MB, handed
    // back to the system before the weights arrive. The config is checked before either.
    if (auto cfg = read_hf_config(path + "/config.json"); !cfg) return Error(cfg.error());
    auto tok = Tokenizer::load(path);  // tokenizer.json, else tokenizer.model
    if (!tok) return Error("loading " + path + ": " + tok.error());
    if (Status st = tok->set_prompt_format(hf_format); !st) return Error(path + ": " + st.error());
    ::malloc_trim(0);
    auto m = import_hf(path, device);
    if (!m) return Error(m.error());
    impl->model = *m;
    impl->config = (*m)->config();
    impl->tokenizer = std::make_shared<Tokenizer>(std::move(*tok));
  } else {
    auto ck = load_checkpoint(path, device);
    if (!ck) return Error(ck.error());
    impl->model = ck->model;
    impl->config = ck->config;
    impl->tokenizer = ck->tokenizer;
  }
  return std::unique_ptr<InferenceModel>(new InferenceModel(std::move(impl)));
}

Expected<std::vector<Sample>> InferenceModel::generate(const std::vector<std::string>& prompts,
                                                       const SamplingConfig& cfg) {
  auto ids = impl_->tokenizer->encode_prompts(prompts);
  if (!ids) return Error(ids.error());
  auto done = model::generate(impl_->model, *impl_->tokenizer, *ids, cfg);
  if (!done) return Error(done.error());
  std::vector<Sample> out;
  for (const Completion& c : *done) {
    Sample s;
    s.text = c.text, s.finish_reason = c.finish_reason, s.tokens = static_cast<int>(c.tokens.size());
    for (float lp : c.logprobs) s.logprob += lp;
    out.push_back(std::move(s));
  }
  return out;
}

Expected<InferenceModel::Scored> InferenceModel::score(const std::string& text) {
  const Tokenizer& tok = *impl_->tokenizer;
  Scored out;
  out.ids = tok.prefix_ids();  // the text as it is, in any prompt format
  const std::vector<int> body = tok.encode_ids(text);
  out.ids.insert(out.ids.end(), body.begin(), body.end());
  out.ids.insert(out.ids.end(), tok.suffix_ids().begin(), tok.suffix_ids().end());
  if (out.ids.size() < 2) return Error("the text gives " + std::to_string(out.ids.size()) + " token(s): nothing to score");
  if (static_cast<int>(out.ids.size()) > impl_->config.context)
    return Error("the text gives " + std::to_string(out.ids.size()) + " tokens, more than the model's context of " +
                 std::to_string(impl_->config.context));
  try {
    torch::NoGradGuard no_grad;
    impl_->model->eval();
    std::vector<int64_t> ids(out.ids.begin(), out.ids.end());
    auto t = torch::tensor(ids, torch::kLong).unsqueeze(0).to(impl_->model->tok_embeddings->weight.device());
    // The head a chunk of positions at a time: a (T, vocab) matrix of a 150k vocabulary is
    // 600 MB for 1,000 tokens.
    auto h = impl_->model->trunk(t).squeeze(0);  // (T, C)
    const int64_t T = h.size(0), chunk = 64;
    for (int64_t b = 0; b + 1 < T; b += chunk) {
      int64_t n = std::min(chunk, T - 1 - b);
      auto logp = torch::log_softmax(impl_->model->head(h.narrow(0, b, n)).to(torch::kFloat32), -1);
      auto next = t.squeeze(0).narrow(0, b + 1, n).unsqueeze(1);
      auto lp = logp.gather(1, next).squeeze(1).to(torch::kCPU).contiguous();
      out.logprobs.insert(out.logprobs.end(), lp.data_ptr<float>(), lp.data_ptr<float>() + n);
    }
  } catch (const c10::Error& e) {
    return Error(std::string("scoring: ") + e.what_without_backtrace());
  }
  return out;
}

Status InferenceModel::export_hf(const std::string& dir, const std::string& dtype) {
  return model::export_hf(impl_->model, *impl_->tokenizer, dir, dtype);
}

const Tokenizer& InferenceModel::tokenizer() const { return *impl_->tokenizer; }
const ModelConfig& InferenceModel::config() const { return impl_->config; }
int64_t InferenceModel::parameter_count() const { return impl_->model->parameter_count(); }

double init_torch_runtime(int threads) {
  if (threads > 0) torch::set_num_threads(threads);
  torch::NoGradGuard no_grad;
  auto a = torch::randn({256, 256}), b = torch::randn({256, 256});
  torch::matmul(a, b);  // warm-up: thread pool and BLAS initialization
  const int reps = 20;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) a = torch::matmul(a, b).mul_(0.05);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return 2.0 * 256 * 256 * 256 * reps / s / 1e9;
}

}  // namespace stepcoder::model
