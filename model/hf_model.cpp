// Hugging Face model directories <-> Transformer: see hf_model.h. Rotary positions use the
// Hugging Face "rotate half" convention, so q and k need no permutation.
#include "model/hf_model.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "model/safetensors.h"
#include "util/files.h"

namespace stepcoder::model {

namespace {

using Json = nlohmann::json;

const std::map<std::string, std::string>& layer_names() {
  static const std::map<std::string, std::string> m = {
      {"self_attn.q_proj.weight", "attn.wq.weight"}, {"self_attn.k_proj.weight", "attn.wk.weight"},
      {"self_attn.v_proj.weight", "attn.wv.weight"}, {"self_attn.o_proj.weight", "attn.wo.weight"},
      {"self_attn.q_proj.bias", "attn.wq.bias"},     {"self_attn.k_proj.bias", "attn.wk.bias"},
      {"self_attn.v_proj.bias", "attn.wv.bias"},     {"self_attn.o_proj.bias", "attn.wo.bias"},
      {"self_attn.q_norm.weight", "attn.q_norm.weight"}, {"self_attn.k_norm.weight", "attn.k_norm.weight"},
      {"mlp.gate_proj.weight", "mlp.gate.weight"},   {"mlp.up_proj.weight", "mlp.up.weight"},
      {"mlp.down_proj.weight", "mlp.down.weight"},   {"input_layernorm.weight", "attn_norm.weight"},
      {"post_attention_layernorm.weight", "mlp_norm.weight"}};
  return m;
}

const std::map<std::string, std::string>& top_names() {
  static const std::map<std::string, std::string> m = {{"model.embed_tokens.weight", "tok_embeddings.weight"},
                                                      {"model.norm.weight", "norm.weight"},
                                                      {"lm_head.weight", "lm_head.weight"}};
  return m;
}

// Our parameter name for a Hugging Face tensor name ("" when it has no counterpart).
std::string our_name(const std::string& hf) {
  if (auto it = top_names().find(hf); it != top_names().end()) return it->second;
  const std::string prefix = "model.layers.";
  if (hf.rfind(prefix, 0) != 0) return "";
  size_t dot = hf.find('.', prefix.size());
  if (dot == std::string::npos) return "";
  auto it = layer_names().find(hf.substr(dot + 1));
  if (it == layer_names().end()) return "";
  return "blocks." + hf.substr(prefix.size(), dot - prefix.size()) + "." + it->second;
}

std::string hf_name(const std::string& ours) {
  for (const auto& [hf, o] : top_names())
    if (o == ours) return hf;
  if (ours.rfind("blocks.", 0) != 0) return "";
  size_t dot = ours.find('.', 7);
  if (dot == std::string::npos) return "";
  for (const auto& [hf, o] : layer_names())
    if (o == ours.substr(dot + 1)) return "model.layers." + ours.substr(7, dot - 7) + "." + hf;
  return "";
}

// Buffers some checkpoints carry that hold nothing the model needs.
bool ignorable(const std::string& hf) { return hf.find("rotary_emb.inv_freq") != std::string::npos; }

// rope_scaling (or transformers 5's rope_parameters) -> RopeScaling.
Status read_rope(const Json& j, const std::string& path, ModelConfig& c) {
  const Json* r = nullptr;
  if (j.contains("rope_parameters") && j["rope_parameters"].is_object()) r = &j["rope_parameters"];
  else if (j.contains("rope_scaling") && j["rope_scaling"].is_object()) r = &j["rope_scaling"];
  if (r && r->contains("rope_theta")) c.rope_theta = (*r)["rope_theta"].get<double>();
  if (!r) return {};
  std::string kind = r->value("rope_type", r->value("type", std::string("default")));
  if (kind == "default") return {};
  if (kind != "linear" && kind != "dynamic" && kind != "llama3")
    return Error(path + ": rope_scaling type '" + kind + "' is not supported (linear, dynamic, llama3 are)");
  c.rope_scaling.kind = kind;
  c.rope_scaling.factor = r->value("factor", 1.0);
  c.rope_scaling.low_freq_factor = r->value("low_freq_factor", 1.0);
  c.rope_scaling.high_freq_factor = r->value("high_freq_factor", 4.0);
  c.rope_scaling.original_context = r->value("original_max_position_embeddings", 0);
  return {};
}

Expected<ModelConfig> parse_config(const Json& j, const std::string& path) {
  std::string type = j.value("model_type", std::string());
  if (type != "llama" && type != "mistral" && type != "qwen2" && type != "qwen3")
    return Error(path + ": model_type '" + type + "' is not supported (llama, mistral, qwen2, qwen3 are)");
  ModelConfig c;
  c.architecture = type;
  c.vocab_size = j.at("vocab_size"), c.dim = j.at("hidden_size"), c.layers = j.at("num_hidden_layers");
  c.heads = j.at("num_attention_heads");
  c.kv_heads = j.value("num_key_value_heads", c.heads);
  c.mlp_hidden = j.at("intermediate_size");
  c.context = j.value("max_position_embeddings", 2048);
  c.norm_eps = j.value("rms_norm_eps", 1e-6);
  c.rope_theta = j.value("rope_theta", 10000.0);
  c.tie_embeddings = j.value("tie_word_embeddings", false);
  int head_dim = j.contains("head_dim") && j["head_dim"].is_number() ? j["head_dim"].get<int>()
                                                                     : (type == "qwen3" ? 128 : 0);
  if (head_dim > 0 && head_dim * c.heads != c.dim) c.head_dim_override = head_dim;
  if (j.value("hidden_act", std::string("silu")) != "silu")
    return Error(path + ": hidden_act '" + j.value("hidden_act", std::string()) + "' is not supported (silu is)");
  if (j.value("mlp_bias", false)) return Error(path + ": mlp_bias is not supported");
  bool attention_bias = j.value("attention_bias", false);
  c.qkv_bias = type == "qwen2" || attention_bias;
  c.o_bias = type != "qwen2" && attention_bias;
  c.qk_norm = type == "qwen3";
  if (Status st = read_rope(j, path, c); !st) return Error(st.error());
  // A sliding window longer than the sequence changes nothing: the context stops there.
  bool sliding = type == "mistral" || j.value("use_sliding_window", false);
  if (sliding && j.contains("sliding_window") && j["sliding_window"].is_number_integer())
    c.context = std::min(c.context, j["sliding_window"].get<int>());
  if (Status st = validate(c); !st) return Error(path + ": " + st.error());
  return c;
}

Json config_json(const ModelConfig& c) {
  static const std::map<std::string, std::string> arch = {{"llama", "LlamaForCausalLM"},
      {"mistral", "MistralForCausalLM"}, {"qwen2", "Qwen2ForCausalLM"}, {"qwen3", "Qwen3ForCausalLM"}};
  Json j = {{"model_type", c.architecture}, {"architectures", {arch.count(c.architecture) ? arch.at(c.architecture) : "LlamaForCausalLM"}},
            {"vocab_size", c.vocab_size}, {"hidden_size", c.dim}, {"num_hidden_layers", c.layers},
            {"num_attention_heads", c.heads}, {"num_key_value_heads", c.resolved_kv_heads()},
            {"intermediate_size", c.resolved_mlp_hidden()}, {"max_position_embeddings", c.context},
            {"rms_norm_eps", c.norm_eps}, {"rope_theta", c.rope_theta}, {"hidden_act", "silu"},
            {"head_dim", c.head_dim()}, {"tie_word_embeddings", c.tie_embeddings}};
  if (c.architecture != "qwen2") j["attention_bias"] = c.qkv_bias;
  if (c.architecture == "mistral") j["sliding_window"] = nullptr;
  const RopeScaling& r = c.rope_scaling;
  if (!r.kind.empty()) {
    j["rope_scaling"] = {{"rope_type", r.kind}, {"factor", r.factor}};
    if (r.kind == "llama3")
      j["rope_scaling"].update({{"low_freq_factor", r.low_freq_factor}, {"high_freq_factor", r.high_freq_factor},
                                {"original_max_position_embeddings", r.original_context}});
  }
  return j;
}

torch::ScalarType torch_dtype(const std::string& d) {
  return d == "F32" ? torch::kFloat32 : d == "F16" ? torch::kFloat16 : torch::kBFloat16;
}

// The safetensors files of a directory: the shards its index names, or model.safetensors.
Expected<std::vector<std::string>> weight_files(const std::string& dir, Json& weight_map) {
  std::string index = dir + "/model.safetensors.index.json";
  if (!file_exists(index)) {
    if (!file_exists(dir + "/model.safetensors"))
      return Error(dir + ": neither model.safetensors nor model.safetensors.index.json");
    return std::vector<std::string>{dir + "/model.safetensors"};
  }
  auto text = read_file(index);
  if (!text) return Error(text.error());
  Json j = Json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.contains("weight_map") || !j["weight_map"].is_object())
    return Error(index + ": no weight_map object");
  weight_map = j["weight_map"];
  std::vector<std::string> files;
  for (const auto& [tensor, file] : weight_map.items()) {
    std::string path = dir + "/" + file.get<std::string>();
    if (std::find(files.begin(), files.end(), path) != files.end()) continue;
    if (!file_exists(path)) return Error(path + ": missing shard (model.safetensors.index.json names it for " + tensor + ")");
    files.push_back(path);
  }
  return files;
}

}  // namespace

bool is_hf_dir(const std::string& dir) { return file_exists(dir + "/config.json"); }

Expected<ModelConfig> read_hf_config(const std::string& path) {
  auto text = read_file(path);
  if (!text) return Error("reading model config: " + text.error());
  try {
    return parse_config(Json::parse(*text), path);
  } catch (const Json::exception& e) {
    return Error(path + ": " + e.what());
  }
}

// Copies one file's tensors into the model's parameters; `loaded` collects their names.
static Status load_file(const SafetensorsFile& f, Transformer& model, const Json& weight_map,
                        std::map<std::string, bool>& loaded) {
  auto params = model->named_parameters();
  const std::string file = f.path().substr(f.path().rfind('/') + 1);
  // The embedding first: a tied lm_head in the file is compared with it.
  std::vector<std::pair<std::string, SafeTensor>> order(f.tensors().begin(), f.tensors().end());
  std::stable_partition(order.begin(), order.end(), [](const auto& e) { return e.first == "model.embed_tokens.weight"; });
  for (const auto& [name, t] : order) {
    if (weight_map.is_object() && weight_map.value(name, std::string()) != file)
      return Error(f.path() + ": tensor " + name + " is not listed for this shard in model.safetensors.index.json");
    if (ignorable(name)) continue;
    std::string ours = our_name(name);
    bool tied_head = name == "lm_head.weight" && model->config().tie_embeddings;
    if (!tied_head && (ours.empty() || !params.contains(ours)))
      return Error(f.path() + ": tensor " + name + " is not used by a " + model->config().architecture +
                   " model of these sizes (" + describe_shape(model->config()) + ")");
    torch::Tensor dst = tied_head ? model->tok_embeddings->weight : params[ours];
    if (torch::IntArrayRef(t.shape) != dst.sizes())
      return Error(f.path() + ": tensor " + name + " has shape " + c10::str(torch::IntArrayRef(t.shape)) +
                   " but the model expects " + c10::str(dst.sizes()));
    auto src = torch::from_blob(const_cast<char*>(f.data(t)), t.shape, torch_dtype(t.dtype));
    if (tied_head) {
      if (!torch::equal(src.to(dst.dtype()), dst))
        return Error(f.path() + ": lm_head.weight differs from the embedding that tie_word_embeddings ties it to");
    } else {
      dst.copy_(src);
      loaded[ours] = true;
    }
    f.release(t);
  }
  return {};
}

Status load_hf_weights(const std::string& dir, Transformer& model) {
  Json weight_map;
  auto files = weight_files(dir, weight_map);
  if (!files) return Error(files.error());
  std::map<std::string, bool> loaded;
  torch::NoGradGuard no_grad;
  // The tied check compares with the embedding: load the file that holds it first.
  std::string embed_file = weight_map.is_object() ? weight_map.value("model.embed_tokens.weight", std::string()) : "";
  std::stable_partition(files->begin(), files->end(),
                        [&](const std::string& p) { return !embed_file.empty() && p == dir + "/" + embed_file; });
  for (const std::string& path : *files) {
    auto f = SafetensorsFile::open(path);
    if (!f) return Error(f.error());
    try {
      if (Status st = load_file(**f, model, weight_map, loaded); !st) return st;
    } catch (const c10::Error& e) {
      return Error(path + ": " + e.what_without_backtrace());
    }
  }
  for (auto& p : model->named_parameters())
    if (!loaded.count(p.key()) && p.key().rfind("value_head.", 0) != 0)
      return Error(dir + ": missing tensor " + hf_name(p.key()) + " (the model needs it; no file holds it)");
  return {};
}

Expected<Transformer> import_hf(const std::string& dir, const std::string& device) {
  auto cfg = read_hf_config(dir + "/config.json");
  if (!cfg) return Error(cfg.error());
  auto dev = resolve_device(device);
  if (!dev) return Error(dev.error());
  cfg->device = device;
  try {
    Transformer model(*cfg);
    if (Status st = load_hf_weights(dir, model); !st) return Error(st.error());
    model->to(*dev);
    model->eval();
    return model;
  } catch (const c10::Error& e) {
    return Error("importing " + dir + ": " + e.what_without_backtrace());
  }
}

Status export_hf(Transformer& model, const Tokenizer& tok, const std::string& dir, const std::string& dtype) {
  static const std::map<std::string, std::pair<std::string, torch::ScalarType>> kinds = {
      {"float32", {"F32", torch::kFloat32}}, {"bfloat16", {"BF16", torch::kBFloat16}}, {"float16", {"F16", torch::kFloat16}}};
  auto kind = kinds.find(dtype);
  if (kind == kinds.end()) return Error("exporting: dtype '" + dtype + "' is none of float32, bfloat16, float16");
  if (model->config().lora.enabled()) {  // the adapters go in merged: W + scale B A
    Transformer merged = merge_adapters(model);
    return export_hf(merged, tok, dir, dtype);
  }
  Json cfg = config_json(model->config());
  cfg["torch_dtype"] = dtype;
  std::vector<torch::Tensor> keep;
  std::vector<SafeTensorOut> out;
  for (auto& p : model->named_parameters()) {
    std::string hf = hf_name(p.key());
    if (hf.empty()) continue;  // the value head has no place in the layout
    keep.push_back(p.value().detach().to(torch::kCPU, kind->second.second).contiguous());
    const torch::Tensor& t = keep.back();
    out.push_back({hf, kind->second.first, t.sizes().vec(), static_cast<const char*>(t.data_ptr()),
                   static_cast<size_t>(t.nbytes())});
  }
  if (Status st = make_dirs(dir); !st) return Error("exporting: " + st.error());
  if (Status st = write_file_atomic(dir + "/config.json", cfg.dump(2) + "\n"); !st) return Error("exporting: " + st.error());
  if (Status st = write_safetensors(dir + "/model.safetensors", out); !st) return Error("exporting: " + st.error());
  if (Status st = tok.save_files(dir); !st) return Error("exporting: " + st.error());
  return {};
}

}  // namespace stepcoder::model
