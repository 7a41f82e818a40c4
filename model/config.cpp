// Model and sampling configuration: validation and schema declarations (see config.h).
#include "model/config.h"

#include <cstdio>
#include <utility>

#include "util/config.h"

namespace stepcoder::model {

namespace {

// Adapter target names: this model's projections, and Hugging Face's names for them.
const std::vector<std::pair<std::string, std::string>> kLoraTargets = {
    {"wq", "q_proj"}, {"wk", "k_proj"}, {"wv", "v_proj"}, {"wo", "o_proj"},
    {"gate", "gate_proj"}, {"up", "up_proj"}, {"down", "down_proj"}};

}  // namespace

bool LoraConfig::targets_projection(const std::string& name) const {
  for (const std::string& t : targets)
    for (const auto& [ours, hf] : kLoraTargets)
      if (ours == name && (t == ours || t == hf)) return true;
  return false;
}

std::string describe_shape(const ModelConfig& c) {
  return "vocab " + std::to_string(c.vocab_size) + ", dim " + std::to_string(c.dim) + ", layers " +
         std::to_string(c.layers) + ", heads " + std::to_string(c.heads) + ", kv_heads " +
         std::to_string(c.resolved_kv_heads()) + ", mlp_hidden " +
         std::to_string(c.resolved_mlp_hidden()) + ", context " + std::to_string(c.context) +
         (c.tie_embeddings ? ", tied head" : ", separate head") +
         (c.head_dim_override ? ", head_dim " + std::to_string(c.head_dim_override) : "") +
         (c.qkv_bias ? ", qkv bias" : "") + (c.o_bias ? ", o bias" : "") + (c.qk_norm ? ", q/k norm" : "") +
         (c.rope_scaling.kind.empty() ? "" : ", rope " + c.rope_scaling.kind) +
         (c.lora.enabled() ? ", LoRA " + describe_lora(c.lora) : "");
}

std::string describe_lora(const LoraConfig& l) {
  if (!l.enabled()) return "{rank: 0}";
  std::string t;
  for (const std::string& x : l.targets) t += (t.empty() ? "" : ", ") + x;
  char alpha[32];
  std::snprintf(alpha, sizeof alpha, "%g", l.alpha);
  return "{rank: " + std::to_string(l.rank) + ", alpha: " + alpha + ", targets: [" + t + "]}";
}

static Status validate_lora(const LoraConfig& l) {
  if (l.rank < 0) return Error("model config: model.lora.rank must not be negative");
  if (!l.enabled()) return {};
  if (!(l.alpha > 0)) return Error("model config: model.lora.alpha must be positive");
  if (!(l.dropout >= 0 && l.dropout < 1)) return Error("model config: model.lora.dropout must be in [0, 1)");
  if (l.targets.empty()) return Error("model config: model.lora.targets is empty (HINT: e.g. [wq, wv])");
  for (const std::string& t : l.targets) {
    bool known = false;
    for (const auto& [ours, hf] : kLoraTargets) known |= t == ours || t == hf;
    if (!known)
      return Error("model config: model.lora.targets: '" + t +
                   "' is not a projection (HINT: wq wk wv wo gate up down, or q_proj k_proj v_proj o_proj "
                   "gate_proj up_proj down_proj)");
  }
  return {};
}

Status validate(const ModelConfig& c) {
  auto bad = [](const std::string& why) { return Error("model config: " + why); };
  if (c.dim <= 0 || c.layers <= 0 || c.heads <= 0 || c.context <= 0)
    return bad("dim, layers, heads and context must be positive");
  if (c.head_dim_override < 0) return bad("head_dim must not be negative");
  if (c.head_dim_override == 0 && c.dim % c.heads != 0)
    return bad("model.heads " + std::to_string(c.heads) + " does not divide model.dim " +
               std::to_string(c.dim) + " (HINT: use heads that divide the width, e.g. 8 for 256)");
  if (c.head_dim() % 2 != 0)
    return bad("head size " + std::to_string(c.head_dim()) + " must be even for rotary positions");
  const std::string& k = c.rope_scaling.kind;
  if (!k.empty() && k != "linear" && k != "dynamic" && k != "llama3")
    return bad("rope scaling '" + k + "' is none of linear, dynamic, llama3");
  if (!k.empty() && !(c.rope_scaling.factor >= 1.0))
    return bad("rope scaling factor " + std::to_string(c.rope_scaling.factor) + " must be at least 1");
  if (k == "llama3" && c.rope_scaling.original_context <= 0)
    return bad("rope scaling '" + k + "' needs original_max_position_embeddings");
  if (k == "llama3" && !(c.rope_scaling.high_freq_factor > c.rope_scaling.low_freq_factor))
    return bad("llama3 rope scaling needs high_freq_factor > low_freq_factor");
  if (c.kv_heads < 0 || c.heads % c.resolved_kv_heads() != 0)
    return bad("model.kv_heads " + std::to_string(c.kv_heads) + " must divide model.heads " +
               std::to_string(c.heads));
  if (c.vocab_size < 0) return bad("model.vocab_size must not be negative");
  if (c.device != "cpu" && c.device.rfind("cuda", 0) != 0)
    return bad("model.device '" + c.device + "' is neither cpu nor cuda[:N]");
  if (c.dtype != "float32" && c.dtype != "bfloat16")
    return bad("model.dtype '" + c.dtype + "' is neither float32 nor bfloat16");
  if (c.checkpoint_activations && c.lora.dropout > 0)  // the recomputation would draw other dropout masks
    return bad("model.checkpoint_activations needs model.lora.dropout: 0 (the recomputed blocks would drop other units)");
  return validate_lora(c.lora);
}

void describe(ModelConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".vocab_size", &c.vocab_size, "vocabulary size; 0 takes it from the tokenizer").range(0, 1e7);
  s.add(p + ".dim", &c.dim, "width of the residual stream").range(8, 65536);
  s.add(p + ".layers", &c.layers, "transformer blocks").range(1, 256);
  s.add(p + ".heads", &c.heads, "attention heads (must divide dim)").range(1, 1024);
  s.add(p + ".kv_heads", &c.kv_heads, "key/value heads for grouped-query attention; 0 = heads").range(0, 1024);
  s.add(p + ".mlp_hidden", &c.mlp_hidden, "SwiGLU hidden width; 0 = 8/3 dim").range(0, 1e6);
  s.add(p + ".context", &c.context, "longest prompt + completion in tokens").range(8, 1e6);
  s.add(p + ".rope_theta", &c.rope_theta, "rotary position base").range(1, 1e9);
  s.add(p + ".norm_eps", &c.norm_eps, "RMSNorm epsilon").range(0, 1);
  s.add(p + ".tie_embeddings", &c.tie_embeddings, "output head shares the embedding matrix");
  s.add(p + ".device", &c.device, "torch device: cpu, cuda or cuda:N");
  s.add(p + ".dtype", &c.dtype,
        "bfloat16: bf16 weights and activations, fp32 norms, softmax, log-probs and trainable master weights")
      .choices({"float32", "bfloat16"});
  s.add(p + ".checkpoint_activations", &c.checkpoint_activations,
        "training keeps only each block's input and recomputes the block in backward: less memory, about 1/3 more compute");
  s.add(p + ".threads", &c.threads, "CPU threads for LibTorch").range(1, 1024);
  s.add(p + ".tokenizer", &c.tokenizer, "SentencePiece model, tokenizer.json or Hugging Face directory; empty = train one into the run directory");
  s.add(p + ".init_from", &c.init_from, "start from a checkpoint (.pt) or a Hugging Face model directory");
  s.add(p + ".seed", &c.seed, "seed of initialization and data order").range(0, 9e18);
  s.add(p + ".prompt_format", &c.prompt.kind,
        "plain: the prompt as it is; chat: the problem through the chat template (instruct models)")
      .choices({"plain", "chat"});
  s.add(p + ".chat_template", &c.prompt.chat_template,
        "a Jinja chat template for prompt_format chat; empty = the tokenizer's (tokenizer_config.json)");
  s.add(p + ".system_prompt", &c.prompt.system_prompt, "with prompt_format chat: a system message before the problem");
  s.add(p + ".lora.rank", &c.lora.rank, "LoRA adapters' rank; 0 = none (every weight trains)").range(0, 65536);
  s.add(p + ".lora.alpha", &c.lora.alpha, "LoRA scale: the update is alpha / rank times B A x").range(0, 1e6);
  s.add(p + ".lora.dropout", &c.lora.dropout, "dropout on the adapters' input while training").range(0, 1);
  s.add(p + ".lora.targets", &c.lora.targets, "projections with an adapter: wq wk wv wo gate up down (or q_proj ...)");
}

void describe(SamplingConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".temperature", &c.temperature, "softmax temperature; 0 = greedy").range(0, 100);
  s.add(p + ".top_k", &c.top_k, "keep the k most likely tokens (eval; PPO refuses it); 0 = off").range(0, 1e7);
  s.add(p + ".top_p", &c.top_p, "nucleus sampling mass, after the temperature (eval; PPO refuses it); 1 = off").range(0, 1);
  s.add(p + ".max_new_tokens", &c.max_new_tokens, "longest completion in tokens").range(1, 1e6);
  s.add(p + ".stop", &c.stop, "stop sequences: the completion ends after the first one");
  s.add(p + ".seed", &c.seed, "sampling seed (same seed, same samples)").range(0, 9e18);
  s.add(p + ".batch_size", &c.batch_size, "sequences sampled together").range(1, 1e5);
  s.add(p + ".ignore_eos", &c.ignore_eos, "keep sampling past EOS (fixed-length benchmarks)");
}

}  // namespace stepcoder::model
