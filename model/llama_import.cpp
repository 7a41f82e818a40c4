// Hugging Face Llama <-> Transformer (see llama_import.h). safetensors is an 8-byte little
// endian header length, a JSON header {name: {dtype, shape, data_offsets}}, then raw data.
// Rotary positions use the Hugging Face "rotate half" convention, so q/k need no permutation.
#include "model/llama_import.h"

#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "util/files.h"

namespace stepcoder::model {

namespace {

using nlohmann::json;

// Our parameter name for a Hugging Face tensor name ("" when it has no counterpart).
std::string our_name(const std::string& hf) {
  static const std::map<std::string, std::string> top = {
      {"model.embed_tokens.weight", "tok_embeddings.weight"},
      {"model.norm.weight", "norm.weight"},
      {"lm_head.weight", "lm_head.weight"}};
  if (auto it = top.find(hf); it != top.end()) return it->second;
  static const std::map<std::string, std::string> layer = {
      {"self_attn.q_proj.weight", "attn.wq.weight"}, {"self_attn.k_proj.weight", "attn.wk.weight"},
      {"self_attn.v_proj.weight", "attn.wv.weight"}, {"self_attn.o_proj.weight", "attn.wo.weight"},
      {"mlp.gate_proj.weight", "mlp.gate.weight"},   {"mlp.up_proj.weight", "mlp.up.weight"},
      {"mlp.down_proj.weight", "mlp.down.weight"},   {"input_layernorm.weight", "attn_norm.weight"},
      {"post_attention_layernorm.weight", "mlp_norm.weight"}};
  const std::string prefix = "model.layers.";
  if (hf.rfind(prefix, 0) != 0) return "";
  size_t dot = hf.find('.', prefix.size());
  if (dot == std::string::npos) return "";
  auto it = layer.find(hf.substr(dot + 1));
  if (it == layer.end()) return "";
  return "blocks." + hf.substr(prefix.size(), dot - prefix.size()) + "." + it->second;
}

std::string hf_name(const std::string& ours) {
  static const std::map<std::string, std::string> rev = [] {
    std::map<std::string, std::string> m;
    for (const char* n : {"model.embed_tokens.weight", "model.norm.weight", "lm_head.weight"}) m[our_name(n)] = n;
    return m;
  }();
  if (auto it = rev.find(ours); it != rev.end()) return it->second;
  for (const char* suffix : {"self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                             "self_attn.o_proj.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight",
                             "mlp.down_proj.weight", "input_layernorm.weight", "post_attention_layernorm.weight"}) {
    size_t dot = ours.find('.', 7);  // after "blocks."
    if (ours.rfind("blocks.", 0) != 0 || dot == std::string::npos) return "";
    std::string hf = "model.layers." + ours.substr(7, dot - 7) + "." + suffix;
    if (our_name(hf) == ours) return hf;
  }
  return "";
}

Expected<torch::ScalarType> parse_dtype(const std::string& d) {
  if (d == "F32") return torch::kFloat32;
  if (d == "F16") return torch::kFloat16;
  if (d == "BF16") return torch::kBFloat16;
  return Error("unsupported dtype " + d + " (F32, F16 and BF16 are)");
}

}  // namespace

Expected<ModelConfig> read_llama_config(const std::string& path) {
  auto text = read_file(path);
  if (!text) return Error("reading Llama config: " + text.error());
  try {
    json j = json::parse(*text);
    if (j.value("model_type", std::string("llama")) != "llama")
      return Error(path + ": model_type '" + j.value("model_type", std::string()) + "' is not llama");
    ModelConfig c;
    c.vocab_size = j.at("vocab_size"), c.dim = j.at("hidden_size"), c.layers = j.at("num_hidden_layers");
    c.heads = j.at("num_attention_heads");
    c.kv_heads = j.value("num_key_value_heads", c.heads);
    c.mlp_hidden = j.at("intermediate_size");
    c.context = j.value("max_position_embeddings", 2048);
    c.norm_eps = j.value("rms_norm_eps", 1e-6);
    c.rope_theta = j.value("rope_theta", 10000.0);
    c.tie_embeddings = j.value("tie_word_embeddings", false);
    if (Status st = validate(c); !st) return Error(path + ": " + st.error());
    return c;
  } catch (const json::exception& e) {
    return Error(path + ": " + e.what());
  }
}

Status load_llama_safetensors(const std::string& path, Transformer& model) {
  auto bytes = read_file(path);
  if (!bytes) return Error("loading weights: " + bytes.error());
  const std::string& b = *bytes;
  uint64_t n = 0;
  if (b.size() < 8) return Error(path + ": too short for a safetensors file");
  std::memcpy(&n, b.data(), 8);  // little endian on every platform LibTorch supports here
  if (n > b.size() - 8) return Error(path + ": header length " + std::to_string(n) + " exceeds the file");
  json header;
  try {
    header = json::parse(b.substr(8, n));
  } catch (const json::exception& e) {
    return Error(path + ": bad safetensors header: " + e.what());
  }
  const char* data = b.data() + 8 + n;
  const size_t data_size = b.size() - 8 - n;
  auto params = model->named_parameters();
  std::map<std::string, bool> loaded;
  torch::NoGradGuard no_grad;
  for (auto& [name, info] : header.items()) {
    std::string ours = our_name(name);
    if (ours.empty() || !params.contains(ours)) continue;  // e.g. rotary inv_freq, tied lm_head
    try {
      auto dtype = parse_dtype(info.at("dtype"));
      if (!dtype) return Error(path + ": " + name + ": " + dtype.error());
      std::vector<int64_t> shape = info.at("shape");
      size_t begin = info.at("data_offsets")[0], end = info.at("data_offsets")[1];
      torch::Tensor& dst = params[ours];
      if (end < begin || end > data_size) return Error(path + ": " + name + ": data offsets outside the file");
      if (torch::IntArrayRef(shape) != dst.sizes())
        return Error(path + ": " + name + " has shape " + c10::str(torch::IntArrayRef(shape)) +
                     " but the model expects " + c10::str(dst.sizes()));
      auto t = torch::from_blob(const_cast<char*>(data + begin), shape, *dtype);
      if (static_cast<size_t>(t.nbytes()) != end - begin) return Error(path + ": " + name + ": size does not match its shape");
      dst.copy_(t.to(dst.dtype()));
      loaded[ours] = true;
    } catch (const std::exception& e) {  // json and c10 errors alike
      return Error(path + ": " + name + ": " + e.what());
    }
  }
  for (auto& p : params)
    if (!loaded.count(p.key()) && p.key().rfind("value_head.", 0) != 0)
      return Error(path + ": missing tensor " + hf_name(p.key()) + " (for " + p.key() + ")");
  return {};
}

Expected<Transformer> import_llama(const std::string& dir, const std::string& device) {
  auto cfg = read_llama_config(dir + "/config.json");
  if (!cfg) return Error(cfg.error());
  auto dev = resolve_device(device);
  if (!dev) return Error(dev.error());
  cfg->device = device;
  try {
    Transformer model(*cfg);
    if (Status st = load_llama_safetensors(dir + "/model.safetensors", model); !st) return Error(st.error());
    model->to(*dev);
    model->eval();
    return model;
  } catch (const c10::Error& e) {
    return Error("importing " + dir + ": " + e.what_without_backtrace());
  }
}

Status export_llama(Transformer& model, const std::string& dir) {
  const ModelConfig& c = model->config();
  json cfg = {{"model_type", "llama"}, {"architectures", {"LlamaForCausalLM"}},
              {"vocab_size", c.vocab_size}, {"hidden_size", c.dim}, {"num_hidden_layers", c.layers},
              {"num_attention_heads", c.heads}, {"num_key_value_heads", c.resolved_kv_heads()},
              {"intermediate_size", c.resolved_mlp_hidden()}, {"max_position_embeddings", c.context},
              {"rms_norm_eps", c.norm_eps}, {"rope_theta", c.rope_theta},
              {"tie_word_embeddings", c.tie_embeddings}, {"torch_dtype", "float32"}};
  json header = json::object();
  std::string data;
  for (auto& p : model->named_parameters()) {
    std::string hf = hf_name(p.key());
    if (hf.empty()) continue;  // the value head has no place in the Llama layout
    auto t = p.value().detach().to(torch::kCPU, torch::kFloat32).contiguous();
    header[hf] = {{"dtype", "F32"}, {"shape", t.sizes().vec()},
                  {"data_offsets", {data.size(), data.size() + t.nbytes()}}};
    data.append(static_cast<const char*>(t.data_ptr()), t.nbytes());
  }
  std::string h = header.dump();
  h.append((8 - h.size() % 8) % 8, ' ');  // the format pads the header to 8 bytes
  uint64_t n = h.size();
  std::string file(reinterpret_cast<const char*>(&n), 8);
  file += h + data;
  if (Status st = make_dirs(dir); !st) return Error("exporting: " + st.error());
  if (Status st = write_file_atomic(dir + "/config.json", cfg.dump(2) + "\n"); !st) return Error("exporting: " + st.error());
  if (Status st = write_file_atomic(dir + "/model.safetensors", file); !st) return Error("exporting: " + st.error());
  return {};
}

}  // namespace stepcoder::model
