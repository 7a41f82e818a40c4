// Model benchmarks, each a ratio measured in this run:
//  1. one training step (forward + masked cross-entropy + backward + clip + AdamW) of the
//     policy in LibTorch vs the same architecture in PyTorch (bench/train_step.py, Debian's
//     /usr/bin/python3, same sizes and threads), alternated so machine load hits both alike;
//  2. greedy sampling of 256 new tokens with the KV cache vs recomputing every prefix.
// Usage: model_bench [--threads 2] [--dim 256 --layers 6 --heads 8 --vocab 1024] [--quick]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "model/inference.h"
#include "model/sampling.h"
#include "model/transformer.h"

using namespace stepcoder;
using namespace stepcoder::model;

namespace {

struct Args {
  int threads = 2, dim = 256, layers = 6, heads = 8, vocab = 1024, batch = 16, seq = 160, steps = 6;
  int new_tokens = 256, rounds = 2;
};

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

double libtorch_tokens_per_s(const Args& a) {
  ModelConfig c;
  c.vocab_size = a.vocab, c.dim = a.dim, c.layers = a.layers, c.heads = a.heads, c.context = 320;
  torch::manual_seed(0);
  Transformer m(c);
  std::vector<torch::Tensor> decay, rest;
  for (auto& p : m->parameters()) (p.dim() >= 2 ? decay : rest).push_back(p);
  auto o = torch::optim::AdamWOptions(1e-3).betas({0.9, 0.95}).weight_decay(0.1);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(o));
  groups.emplace_back(rest, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(o).weight_decay(0)));
  torch::optim::AdamW opt(std::move(groups), o);
  auto ids = torch::randint(4, a.vocab, {a.batch, a.seq + 1}, torch::kLong);
  auto inp = ids.narrow(1, 0, a.seq), tgt = ids.narrow(1, 1, a.seq).reshape({-1});
  auto mask = torch::ones({a.batch, a.seq});
  mask.narrow(1, 0, a.seq / 3).zero_();
  mask = mask.reshape({-1});
  auto step = [&] {
    opt.zero_grad();
    auto logits = m->forward(inp).logits;
    auto nll = torch::nn::functional::cross_entropy(logits.reshape({-1, a.vocab}), tgt,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
    ((nll * mask).sum() / mask.sum()).backward();
    torch::nn::utils::clip_grad_norm_(m->parameters(), 1.0);
    opt.step();
  };
  for (int i = 0; i < 2; ++i) step();
  double t0 = now();
  for (int i = 0; i < a.steps; ++i) step();
  return a.batch * a.seq * a.steps / (now() - t0);
}

double pytorch_tokens_per_s(const Args& a) {
  std::string cmd = "/usr/bin/python3 " STEPCODER_SOURCE_DIR "/bench/train_step.py";
  for (auto [k, v] : {std::pair<const char*, int>{"dim", a.dim}, {"layers", a.layers}, {"heads", a.heads},
                      {"vocab", a.vocab}, {"batch", a.batch}, {"seq", a.seq}, {"steps", a.steps},
                      {"threads", a.threads}})
    cmd += std::string(" --") + k + " " + std::to_string(v);
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof(buf), p)) out += buf;
  if (pclose(p) != 0) return -1;
  try {
    return nlohmann::json::parse(out).at("tokens_per_s").get<double>();
  } catch (const std::exception&) {
    return -1;
  }
}

// Seconds to sample a.new_tokens greedily from an untrained model (EOS ignored).
double sampling_seconds(const Args& a, int prompts, bool cache) {
  ModelConfig c;
  c.vocab_size = a.vocab, c.dim = a.dim, c.layers = a.layers, c.heads = a.heads, c.context = a.new_tokens + 40;
  torch::manual_seed(1);
  Transformer m(c);
  std::vector<int> prompt(32);
  for (int i = 0; i < 32; ++i) prompt[i] = 10 + i;
  static auto tok = Tokenizer::train({"int main() { return 0; } void f(int x) { x += 1; }"}, [] {
    TokenizerTrainOptions t;
    t.vocab_size = 500;
    return t;
  }());
  SamplingConfig sc;
  sc.temperature = 0, sc.max_new_tokens = a.new_tokens, sc.ignore_eos = true;
  double t0 = now();
  sc.batch_size = prompts;
  auto r = generate(m, *tok, std::vector<std::vector<int>>(prompts, prompt), sc, cache);
  double s = now() - t0;
  if (!r || (*r)[0].tokens.size() != static_cast<size_t>(a.new_tokens))
    std::fprintf(stderr, "sampling stopped early: %s\n", r ? (*r)[0].finish_reason.c_str() : r.error().c_str());
  return s;
}

}  // namespace

constexpr const char* kUsage =
    "usage: model_bench [--threads N] [--dim D --layers L --heads H --vocab V] [--steps S] [--quick]\n"
    "  training step of LibTorch against PyTorch, KV-cache sampling against recomputation (same-run ratios)\n";

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
    if (k == "--threads") a.threads = next();
    else if (k == "--dim") a.dim = next();
    else if (k == "--layers") a.layers = next();
    else if (k == "--heads") a.heads = next();
    else if (k == "--vocab") a.vocab = next();
    else if (k == "--steps") a.steps = next();
    else if (k == "--quick") a.dim = 64, a.layers = 2, a.heads = 4, a.steps = 3, a.new_tokens = 64, a.rounds = 1;
    else if (k == "--help" || k == "-h") return std::printf("%s", kUsage), 0;
    else return std::fprintf(stderr, "model_bench: unknown argument '%s'\n%s", argv[i], kUsage), 2;
  }
  double gflops = init_torch_runtime(a.threads);
  std::printf("threads %d, matmul %.1f GFLOP/s%s\n", a.threads, gflops,
              gflops < kSlowBlasGflops ? " (slow: reference BLAS or a busy machine)" : "");
  std::printf("model: dim %d, layers %d, heads %d, vocab %d; batch %d x %d tokens\n", a.dim, a.layers, a.heads,
              a.vocab, a.batch, a.seq);
  double best_lt = 0, best_py = 0;
  for (int r = 0; r < a.rounds; ++r) {
    double lt = libtorch_tokens_per_s(a), py = pytorch_tokens_per_s(a);
    std::printf("round %d: LibTorch %.0f tokens/s, PyTorch %.0f tokens/s\n", r + 1, lt, py);
    best_lt = std::max(best_lt, lt), best_py = std::max(best_py, py);
  }
  if (best_py > 0)
    std::printf("train step: LibTorch %.0f tokens/s, PyTorch %.0f tokens/s, ratio %.2f (best of %d)\n", best_lt,
                best_py, best_lt / best_py, a.rounds);
  else
    std::printf("train step: LibTorch %.0f tokens/s; PyTorch run failed (is python3-torch installed?)\n", best_lt);
  for (int prompts : {1, 8}) {
    double with = sampling_seconds(a, prompts, true), without = sampling_seconds(a, prompts, false);
    std::printf("sampling %d new tokens x %d prompts: KV cache %.2f s, recompute %.2f s, speedup %.1fx\n",
                a.new_tokens, prompts, with, without, without / with);
  }
  return 0;
}
