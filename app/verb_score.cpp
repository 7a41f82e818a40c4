// `stepcoder score MODEL --text FILE [--json]`: the log-probability of every token of a text
// under a model, with its own tokenizer and post-processor; `stepcoder export CHECKPOINT -o DIR`
// writes a checkpoint as a Hugging Face directory that transformers and vLLM load.
#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "model/inference.h"
#include "util/files.h"

namespace stepcoder::app {
namespace {

struct ScoreArgs {
  std::string model, text_file, out, dtype = "float32", device = "cpu";
  int threads = 2;
  bool json = false, stats = false;
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void score_verb(const ScoreArgs& a) {
  auto text = read_file(a.text_file);
  if (!text) return fail("score: " + text.error());
  auto t0 = std::chrono::steady_clock::now();
  auto m = model::InferenceModel::load(a.model, a.device, a.threads);
  if (!m) return fail(m.error());
  double load_s = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  auto s = (*m)->score(*text);
  if (!s) return fail("score: " + a.text_file + ": " + s.error());
  if (a.stats)
    std::fprintf(stderr, "loaded %lld parameters (%.1f MB as float32) in %.2f s; scored %zu tokens in %.2f s\n",
                 static_cast<long long>((*m)->parameter_count()), (*m)->parameter_count() * 4 / 1e6, load_s,
                 s->ids.size(), seconds_since(t0));
  double sum = 0;
  for (float lp : s->logprobs) sum += lp;
  if (a.json) {
    Json j = {{"ids", s->ids}, {"logprobs", s->logprobs}};
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  const size_t n = s->logprobs.size();
  std::printf("%zu tokens, %zu scored: log-probability %.4f, %.4f per token (perplexity %.3f)\n", s->ids.size(), n,
              sum, sum / n, std::exp(-sum / n));
}

void export_verb(const ScoreArgs& a) {
  auto m = model::InferenceModel::load(a.model, a.device, a.threads);
  if (!m) return fail(m.error());
  if (Status st = (*m)->export_hf(a.out, a.dtype); !st) return fail(st.error());
  std::printf("wrote %s: config.json, model.safetensors (%s), tokenizer files\n", a.out.c_str(), a.dtype.c_str());
}

}  // namespace

void add_score_verb(CLI::App& app) {
  auto a = std::make_shared<ScoreArgs>();
  CLI::App* cmd = app.add_subcommand("score", "Log-probabilities of a text's tokens under a model");
  cmd->add_option("model", a->model, "checkpoint (.pt) or Hugging Face model directory")->required();
  cmd->add_option("--text", a->text_file, "file holding the text")->required();
  cmd->add_option("--device", a->device, "cpu or cuda")->capture_default_str();
  cmd->add_option("--threads", a->threads, "CPU threads")->capture_default_str();
  cmd->add_flag("--json", a->json, "{\"ids\": [...], \"logprobs\": [...]}: logprobs[i] = log p(ids[i+1] | ids[..i])");
  cmd->add_flag("--stats", a->stats, "print the load and scoring times to stderr");
  cmd->callback([a] { score_verb(*a); });

  CLI::App* ex = app.add_subcommand("export", "Write a checkpoint as a Hugging Face model directory");
  ex->add_option("checkpoint", a->model, "checkpoint (.pt) or Hugging Face model directory")->required();
  ex->add_option("-o,--output", a->out, "directory to write")->required();
  ex->add_option("--dtype", a->dtype, "float32, bfloat16 or float16")->capture_default_str();
  ex->add_option("--threads", a->threads, "CPU threads")->capture_default_str();
  ex->callback([a] { export_verb(*a); });
}

}  // namespace stepcoder::app
