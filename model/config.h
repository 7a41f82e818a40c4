// Configuration of the policy model and of sampling: sizes, device, threads, sampler chain.
// Plain structs without LibTorch, so the CLI and other libraries can hold them; describe()
// declares the YAML keys once for loading and for the generated reference.
//
//   ModelConfig m;  SamplingConfig s;
//   ConfigSchema schema;
//   describe(m, schema, "model");  describe(s, schema, "sampling");
//   if (Status st = schema.load_file("run.yaml"); !st) die(st.error());
//   if (Status st = validate(m); !st) die(st.error());   // "model.heads 6 does not divide ..."
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.h"

namespace stepcoder {
class ConfigSchema;
}

namespace stepcoder::model {

// Rotary position scaling of long-context checkpoints (Hugging Face `rope_scaling`).
struct RopeScaling {
  std::string kind;              // "" (none), "linear", "dynamic", "llama3"
  double factor = 1.0;
  double low_freq_factor = 1.0;  // llama3
  double high_freq_factor = 4.0; // llama3
  int original_context = 0;      // llama3, dynamic: original_max_position_embeddings
};

// How a problem's prompt becomes the policy's input (chat_prompt.h). "plain": the prompt as it
// is, after the post-processor's BOS. "chat": the problem is the user's message of a chat
// template and the assistant's answer starts with the prompt's code, which the policy
// continues (the judge runs prompt + completion either way).
struct PromptFormat {
  std::string kind = "plain";  // "plain" or "chat"
  std::string chat_template;   // a Jinja chat template; "" = the tokenizer's own
  std::string system_prompt;   // a system message before the problem; "" = none

  bool chat() const { return kind == "chat"; }
  bool operator==(const PromptFormat& o) const {
    return kind == o.kind && chat_template == o.chat_template && system_prompt == o.system_prompt;
  }
  bool operator!=(const PromptFormat& o) const { return !(*this == o); }
};

// Low-rank adapters (LoRA, Hu et al. 2021) on the attention and MLP projections: W x + (alpha /
// rank) B A x with A (rank, in) and B (out, rank), B starting at zero. With rank > 0 only the
// adapters and the value head train, and the base model is the adapters switched off (PPO's KL
// reference, with no second copy of the weights).
struct LoraConfig {
  int rank = 0;         // 0: no adapters
  double alpha = 16.0;  // the update is scaled by alpha / rank
  double dropout = 0.0; // on the adapter's input, in training mode
  // Projections that get an adapter: wq wk wv wo gate up down (or Hugging Face's q_proj ...).
  std::vector<std::string> targets = {"wq", "wk", "wv", "wo", "gate", "up", "down"};

  bool enabled() const { return rank > 0; }
  double scale() const { return rank > 0 ? alpha / rank : 0.0; }
  bool targets_projection(const std::string& name) const;  // name: wq ... down
  bool operator==(const LoraConfig& o) const {
    return rank == o.rank && alpha == o.alpha && dropout == o.dropout && targets == o.targets;
  }
};

struct ModelConfig {
  int vocab_size = 0;     // 0: taken from the tokenizer
  int dim = 256;          // width of the residual stream
  int layers = 6;
  int heads = 8;
  int kv_heads = 0;       // grouped-query attention; 0: same as heads
  int mlp_hidden = 0;     // SwiGLU hidden width; 0: 8/3 * dim rounded up to a multiple of 32
  int context = 384;      // longest sequence (prompt + completion) in tokens
  double rope_theta = 10000.0;
  double norm_eps = 1e-5;
  bool tie_embeddings = true;  // output head shares the token embedding matrix
  std::string device = "cpu";  // "cpu" or "cuda" (when LibTorch was built with it)
  std::string dtype = "float32";  // "float32" or "bfloat16" (precision.h); a run's choice, not stored
  bool checkpoint_activations = false;  // training keeps each block's input only and recomputes the rest
  int threads = 2;             // intra-op CPU threads (torch::set_num_threads)
  std::string tokenizer;       // path of the SentencePiece model ("" = train one for the run)
  std::string init_from;       // a checkpoint (.pt) or a Hugging Face model directory to start from
  int64_t seed = 1234;
  // Architecture details that Hugging Face checkpoints bring (hf_model.h); the from-scratch
  // model keeps the defaults. Stored in checkpoints, not YAML keys.
  std::string architecture = "llama";  // llama, mistral, qwen2, qwen3: names and export
  int head_dim_override = 0;   // 0: dim / heads (Qwen3 and Llama 3.2 can set it explicitly)
  bool qkv_bias = false;       // biases on q, k and v (Qwen2)
  bool o_bias = false;         // a bias on the output projection too (Llama attention_bias)
  bool qk_norm = false;        // RMSNorm of each head of q and k before rotation (Qwen3)
  RopeScaling rope_scaling;
  // YAML keys; the tokenizer carries them into checkpoints (Tokenizer::prompt_format()).
  PromptFormat prompt;
  LoraConfig lora;  // YAML keys model.lora.*; stored in checkpoints with the adapters

  int head_dim() const { return head_dim_override > 0 ? head_dim_override : dim / heads; }
  int resolved_kv_heads() const { return kv_heads > 0 ? kv_heads : heads; }
  int resolved_mlp_hidden() const { return mlp_hidden > 0 ? mlp_hidden : (8 * dim / 3 + 31) / 32 * 32; }
};

// One line naming every size, used in shape-mismatch messages.
std::string describe_shape(const ModelConfig& c);
// "{rank: 8, alpha: 16, targets: [wq, wv]}", or "{rank: 0}" without adapters.
std::string describe_lora(const LoraConfig& l);
// Sizes that cannot build a model (heads not dividing the width, odd head size, ...).
Status validate(const ModelConfig& c);
void describe(ModelConfig& c, ConfigSchema& schema, const std::string& prefix = "model");

struct SamplingConfig {
  double temperature = 0.8;  // 0 = greedy
  int top_k = 0;             // 0 = off
  double top_p = 1.0;        // 1 = off
  int max_new_tokens = 256;
  std::vector<std::string> stop;  // the completion ends after the first of these strings
  int64_t seed = 0;
  int batch_size = 32;       // sequences sampled together
  bool ignore_eos = false;   // keep sampling past EOS (benchmarks of fixed length)
};

void describe(SamplingConfig& c, ConfigSchema& schema, const std::string& prefix = "sampling");

}  // namespace stepcoder::model
