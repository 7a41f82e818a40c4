// Checkpoint files (see checkpoint.h): a LibTorch archive with named entries. LibTorch
// errors (a corrupt zip, a missing key) are caught here and returned with the file's name.
#include "model/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "util/files.h"

namespace stepcoder::model {

namespace {

constexpr const char* kFormat = "stepcoder-checkpoint-v1";

nlohmann::json config_to_json(const ModelConfig& c) {
  const RopeScaling& r = c.rope_scaling;
  nlohmann::json j = {{"vocab_size", c.vocab_size}, {"dim", c.dim}, {"layers", c.layers}, {"heads", c.heads},
          {"kv_heads", c.kv_heads}, {"mlp_hidden", c.mlp_hidden}, {"context", c.context},
          {"rope_theta", c.rope_theta}, {"norm_eps", c.norm_eps},
          {"tie_embeddings", c.tie_embeddings}, {"architecture", c.architecture},
          {"head_dim", c.head_dim_override}, {"qkv_bias", c.qkv_bias}, {"o_bias", c.o_bias},
          {"qk_norm", c.qk_norm},
          {"rope_scaling", {{"kind", r.kind}, {"factor", r.factor}, {"low_freq_factor", r.low_freq_factor},
                            {"high_freq_factor", r.high_freq_factor}, {"original_context", r.original_context}}}};
  const LoraConfig& l = c.lora;  // a checkpoint with adapters: the model that holds them
  if (l.enabled()) j["lora"] = {{"rank", l.rank}, {"alpha", l.alpha}, {"dropout", l.dropout}, {"targets", l.targets}};
  return j;
}

// Checkpoints written before the architecture fields hold the from-scratch defaults.
ModelConfig config_from_json(const nlohmann::json& j) {
  ModelConfig c;
  c.vocab_size = j.at("vocab_size"), c.dim = j.at("dim"), c.layers = j.at("layers");
  c.heads = j.at("heads"), c.kv_heads = j.at("kv_heads"), c.mlp_hidden = j.at("mlp_hidden");
  c.context = j.at("context"), c.rope_theta = j.at("rope_theta"), c.norm_eps = j.at("norm_eps");
  c.tie_embeddings = j.at("tie_embeddings");
  c.architecture = j.value("architecture", c.architecture);
  c.head_dim_override = j.value("head_dim", 0);
  c.qkv_bias = j.value("qkv_bias", false), c.o_bias = j.value("o_bias", false);
  c.qk_norm = j.value("qk_norm", false);
  if (j.contains("rope_scaling")) {
    const auto& r = j["rope_scaling"];
    c.rope_scaling.kind = r.value("kind", ""), c.rope_scaling.factor = r.value("factor", 1.0);
    c.rope_scaling.low_freq_factor = r.value("low_freq_factor", 1.0);
    c.rope_scaling.high_freq_factor = r.value("high_freq_factor", 4.0);
    c.rope_scaling.original_context = r.value("original_context", 0);
  }
  if (j.contains("lora")) {
    const auto& l = j["lora"];
    c.lora.rank = l.at("rank"), c.lora.alpha = l.at("alpha"), c.lora.dropout = l.at("dropout");
    c.lora.targets = l.at("targets").get<std::vector<std::string>>();
  }
  return c;
}

bool same_shape(const ModelConfig& a, const ModelConfig& b) {
  return config_to_json(a) == config_to_json(b);
}

torch::Tensor bytes_tensor(const std::string& s) {
  return torch::from_blob(const_cast<char*>(s.data()), {static_cast<int64_t>(s.size())}, torch::kUInt8).clone();
}

std::string tensor_bytes(const torch::Tensor& t) {
  auto c = t.to(torch::kCPU).contiguous();
  return std::string(static_cast<const char*>(c.data_ptr()), static_cast<size_t>(c.numel()));
}

std::string read_string(torch::serialize::InputArchive& a, const std::string& key) {
  c10::IValue v;
  a.read(key, v);
  return v.toStringRef();
}

nlohmann::json prompt_format_json(const PromptFormat& f) {
  return {{"kind", f.kind}, {"chat_template", f.chat_template}, {"system_prompt", f.system_prompt}};
}

// The prompt format the policy was trained with; checkpoints older than the entry are plain.
Status restore_prompt_format(torch::serialize::InputArchive& a, Tokenizer& tok) {
  c10::IValue v;
  if (!a.try_read("prompt_format", v)) return {};
  try {
    const auto j = nlohmann::json::parse(v.toStringRef());
    PromptFormat f;
    f.kind = j.at("kind"), f.chat_template = j.at("chat_template"), f.system_prompt = j.at("system_prompt");
    return tok.set_prompt_format(f);
  } catch (const nlohmann::json::exception& e) {
    return Error(std::string("bad prompt_format entry (") + e.what() + ")");
  }
}

// Opens the archive and checks the format marker.
Status open_archive(const std::string& path, const std::string& bytes, torch::serialize::InputArchive& a) {
  try {
    a.load_from(bytes.data(), bytes.size());
    if (read_string(a, "format") != kFormat) return Error("unknown checkpoint format");
  } catch (const c10::Error& e) {
    return Error("loading checkpoint " + path + ": not a stepcoder checkpoint or a damaged file (" +
                 e.what_without_backtrace() + ")");
  }
  return {};
}

// Module::load in reverse of Module::save, but copying each tensor into the model's own
// (Module::load swaps in the stored storage, which reinterprets the bytes when the stored dtype
// differs: a bf16 run's frozen weights read into a float32 model). The model keeps its dtypes.
void load_weights(torch::nn::Module& module, torch::serialize::InputArchive& archive) {
  torch::NoGradGuard no_grad;
  for (auto& p : module.named_parameters(/*recurse=*/false)) {
    torch::Tensor stored;
    archive.read(p.key(), stored);
    p.value().copy_(stored);
  }
  for (auto& b : module.named_buffers(/*recurse=*/false)) {
    torch::Tensor stored;
    archive.read(b.key(), stored, /*is_buffer=*/true);
    b.value().copy_(stored);
  }
  for (const auto& child : module.named_children()) {
    torch::serialize::InputArchive sub;
    archive.read(child.key(), sub);
    load_weights(*child.value(), sub);
  }
}

}  // namespace

Status save_checkpoint(const std::string& path, Transformer& model, const Tokenizer& tok,
                       torch::optim::Optimizer* optimizer, const TrainState& state) {
  std::ostringstream os;
  try {
    torch::serialize::OutputArchive a;
    a.write("format", c10::IValue(std::string(kFormat)));
    a.write("config", c10::IValue(config_to_json(model->config()).dump()));
    a.write("tokenizer", bytes_tensor(tok.serialized()));
    a.write("prompt_format", c10::IValue(prompt_format_json(tok.prompt_format()).dump()));
    a.write("step", torch::tensor(state.step, torch::kLong));
    a.write("extra", c10::IValue(state.extra));
    a.write("rng", at::detail::getDefaultCPUGenerator().get_state());
    torch::serialize::OutputArchive m;
    model->save(m);
    a.write("model", m);
    if (optimizer) {
      torch::serialize::OutputArchive o;
      optimizer->save(o);
      a.write("optimizer", o);
    }
    a.save_to(os);
  } catch (const c10::Error& e) {
    return Error("saving checkpoint " + path + ": " + e.what_without_backtrace());
  }
  if (Status st = write_file_atomic(path, os.str()); !st) return Error("saving checkpoint: " + st.error());
  return {};
}

Expected<ModelConfig> read_checkpoint_config(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return Error("loading checkpoint: " + bytes.error());
  torch::serialize::InputArchive a;
  if (Status st = open_archive(path, *bytes, a); !st) return Error(st.error());
  try {
    return config_from_json(nlohmann::json::parse(read_string(a, "config")));
  } catch (const std::exception& e) {
    return Error("loading checkpoint " + path + ": bad model sizes (" + e.what() + ")");
  }
}

Expected<LoadedCheckpoint> load_checkpoint(const std::string& path, const std::string& device) {
  auto cfg = read_checkpoint_config(path);
  if (!cfg) return Error(cfg.error());
  if (Status st = validate(*cfg); !st) return Error("loading checkpoint " + path + ": " + st.error());
  auto dev = resolve_device(device);
  if (!dev) return Error(dev.error());
  auto bytes = read_file(path);
  if (!bytes) return Error("loading checkpoint: " + bytes.error());
  torch::serialize::InputArchive a;
  if (Status st = open_archive(path, *bytes, a); !st) return Error(st.error());
  LoadedCheckpoint out;
  out.config = *cfg;
  out.config.device = device;
  try {
    torch::Tensor tok_bytes;
    a.read("tokenizer", tok_bytes);
    auto tok = Tokenizer::from_serialized(tensor_bytes(tok_bytes), "checkpoint " + path);
    if (!tok) return Error(tok.error());
    if (Status st = restore_prompt_format(a, *tok); !st) return Error("loading checkpoint " + path + ": " + st.error());
    out.tokenizer = std::make_shared<Tokenizer>(std::move(*tok));
    out.model = Transformer(out.config);
    torch::serialize::InputArchive m;
    a.read("model", m);
    load_weights(*out.model, m);
    out.model->to(*dev);
    out.model->eval();
    torch::Tensor step;
    a.read("step", step);
    out.state.step = step.item<int64_t>();
    out.state.extra = read_string(a, "extra");
  } catch (const c10::Error& e) {
    return Error("loading checkpoint " + path + ": " + e.what_without_backtrace());
  }
  return out;
}

Status restore_training(const std::string& path, Transformer& model, torch::optim::Optimizer* optimizer,
                        TrainState* state) {
  auto cfg = read_checkpoint_config(path);
  if (!cfg) return Error(cfg.error());
  if (!same_shape(*cfg, model->config()))
    return Error("loading checkpoint " + path + ": it holds a model of shape {" + describe_shape(*cfg) +
                 "} but the configured model is {" + describe_shape(model->config()) + "}");
  auto bytes = read_file(path);
  if (!bytes) return Error("loading checkpoint: " + bytes.error());
  torch::serialize::InputArchive a;
  if (Status st = open_archive(path, *bytes, a); !st) return Error(st.error());
  try {
    torch::serialize::InputArchive m;
    a.read("model", m);
    auto device = model->tok_embeddings->weight.device();
    load_weights(*model, m);
    model->to(device);
    if (optimizer) {
      torch::serialize::InputArchive o;
      if (!a.try_read("optimizer", o))
        return Error("loading checkpoint " + path + ": it has no optimizer state to resume from");
      optimizer->load(o);
    }
    if (state) {
      torch::Tensor step, rng;
      a.read("step", step);
      state->step = step.item<int64_t>();
      state->extra = read_string(a, "extra");
      a.read("rng", rng);
      at::Generator gen = at::detail::getDefaultCPUGenerator();  // a handle to the global one
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_state(rng);
    }
  } catch (const c10::Error& e) {
    return Error("loading checkpoint " + path + ": " + e.what_without_backtrace());
  }
  return {};
}

}  // namespace stepcoder::model
