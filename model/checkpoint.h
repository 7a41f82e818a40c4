// Checkpoints: model weights, optimizer state, step, RNG state, the model's sizes and the
// tokenizer in one file, written to a temporary name, fsynced and renamed, so a crash never
// leaves a torn checkpoint. Loading into a model of another shape names both shapes.
//
//   TrainState st;  st.step = 120;
//   if (Status s = save_checkpoint("run/checkpoints/step-120.pt", model, tok, &opt, st); !s) ...
//   auto ck = load_checkpoint("run/checkpoints/step-120.pt", "cpu");   // model + tokenizer
//   if (!ck) die(ck.error());   // "loading checkpoint x.pt: not a stepcoder checkpoint (...)"
//   TrainState back;
//   Status r = restore_training("run/checkpoints/step-120.pt", model, opt, &back);  // --resume
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>

#include "model/config.h"
#include "model/tokenizer.h"
#include "model/transformer.h"

namespace stepcoder::model {

struct TrainState {
  int64_t step = 0;
  std::string extra;  // JSON owned by the trainer (data order, best metric, ...)
};

Status save_checkpoint(const std::string& path, Transformer& model, const Tokenizer& tok,
                       torch::optim::Optimizer* optimizer, const TrainState& state);

struct LoadedCheckpoint {
  ModelConfig config;  // sizes from the checkpoint; device as asked
  Transformer model{nullptr};
  std::shared_ptr<Tokenizer> tokenizer;
  TrainState state;
};

// Builds the model the checkpoint describes, on `device`, in eval mode.
Expected<LoadedCheckpoint> load_checkpoint(const std::string& path, const std::string& device);

// Loads weights (and, when given, optimizer state, step and the global RNG state) into an
// existing model; a checkpoint of another shape is an error naming both shapes.
Status restore_training(const std::string& path, Transformer& model,
                        torch::optim::Optimizer* optimizer, TrainState* state);

// The sizes a checkpoint holds, without building the model.
Expected<ModelConfig> read_checkpoint_config(const std::string& path);

}  // namespace stepcoder::model
