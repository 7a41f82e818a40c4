// InferenceModel (see inference.h): a checkpoint or Llama directory behind a LibTorch-free
// interface; LibTorch errors come back as Expected errors with context.
#include "model/inference.h"

#include <chrono>

#include "model/checkpoint.h"
#include "model/llama_import.h"
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

Expected<std::unique_ptr<InferenceModel>> InferenceModel::load(const std::string& path,
                                                               const std::string& device, int threads) {
  init_torch_runtime(threads);
  auto impl = std::make_unique<Impl>();
  if (file_exists(path + "/config.json")) {  // a Hugging Face Llama directory
    auto m = import_llama(path, device);
    if (!m) return Error(m.error());
    auto tok = Tokenizer::load(path);  // tokenizer.json, else tokenizer.model
    if (!tok) return Error("loading " + path + ": " + tok.error());
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
  std::vector<std::vector<int>> ids;
  const Tokenizer& tok = *impl_->tokenizer;
  for (const std::string& p : prompts) {
    std::vector<int> one = tok.prefix_ids();  // the post-processor's BOS, where it has one
    for (int id : tok.encode_ids(p)) one.push_back(id);
    ids.push_back(std::move(one));
  }
  auto done = model::generate(impl_->model, *impl_->tokenizer, ids, cfg);
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
