// Import of Llama-architecture weights in the Hugging Face layout (`config.json` and
// `model.safetensors`, F32/F16/BF16) into the Transformer, so training can start from a real
// pretrained model. The value head is not in such checkpoints and starts at zero. The export
// writes the same layout (used by the tests, and to hand a trained policy to other tools).
//
//   auto cfg = read_llama_config("TinyLlama/config.json");      // sizes -> ModelConfig
//   auto model = import_llama("TinyLlama", "cpu");              // weights loaded, eval mode
//   if (!model) die(model.error());   // "TinyLlama/model.safetensors: missing tensor ..."
//   Status st = export_llama(*model, "out_dir");
#pragma once

#include <string>

#include "model/config.h"
#include "model/transformer.h"

namespace stepcoder::model {

Expected<ModelConfig> read_llama_config(const std::string& config_json_path);
Expected<Transformer> import_llama(const std::string& dir, const std::string& device);
// Loads a safetensors file into an existing model (names in the Hugging Face Llama layout).
Status load_llama_safetensors(const std::string& path, Transformer& model);
// Writes config.json and model.safetensors (F32) in the Hugging Face Llama layout.
Status export_llama(Transformer& model, const std::string& dir);

}  // namespace stepcoder::model
