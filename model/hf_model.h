// Hugging Face checkpoints in and out: `config.json` (model_type llama, mistral, qwen2, qwen3)
// and safetensors weights (one file, or shards through model.safetensors.index.json; F32, F16,
// BF16; mapped, not read whole) into the Transformer, and back. Nothing is skipped silently:
// an unknown model_type, rope kind or activation, a tensor the model does not use, and a
// tensor it needs that the files lack are errors naming the file and the key. The value head
// is not part of such checkpoints and starts at zero.
//
//   auto cfg = read_hf_config("Qwen2.5-Coder-0.5B/config.json");  // sizes -> ModelConfig
//   auto model = import_hf("Qwen2.5-Coder-0.5B", "cpu");          // weights loaded, eval mode
//   Status st = export_hf(*model, tokenizer, "out_dir", "bfloat16");
#pragma once

#include <string>

#include "model/config.h"
#include "model/tokenizer.h"
#include "model/transformer.h"

namespace stepcoder::model {

// True when dir holds a config.json (a Hugging Face model directory).
bool is_hf_dir(const std::string& dir);
Expected<ModelConfig> read_hf_config(const std::string& config_json_path);
Expected<Transformer> import_hf(const std::string& dir, const std::string& device);
// Loads dir's weights (model.safetensors, or the shards its index names) into a model built
// from read_hf_config(dir/config.json).
Status load_hf_weights(const std::string& dir, Transformer& model);
// Writes config.json, model.safetensors (dtype: float32, bfloat16 or float16) and the
// tokenizer's files, with the names and shapes import_hf reads.
Status export_hf(Transformer& model, const Tokenizer& tok, const std::string& dir,
                 const std::string& dtype = "float32");

}  // namespace stepcoder::model
