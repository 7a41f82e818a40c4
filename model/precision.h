// Mixed precision (`model.dtype: bfloat16`): weights at rest and activations between operations
// in bf16; RMSNorm, softmax, log-probabilities, the losses and the advantages in fp32. Weights
// that train stay fp32 (they are the master copy the optimizer updates) and are rounded to bf16
// where they are used, so autograd hands the optimizer fp32 gradients. Frozen weights (the base
// model under LoRA, PPO's reference copy) are stored in bf16: half their memory.
//
// The products below take that mix of dtypes: `x` sets the compute dtype, a weight of any float
// dtype is cast to it. On a device with a native bf16 GEMM (CUDA; CPUs with AVX512-BF16 or AMX)
// a bf16 product is computed in bf16. Elsewhere it is computed in fp32 on the operands rounded
// to bf16 (what a native GEMM multiplies) and the result rounded to bf16, keeping only bf16
// activations for backward: the memory of bf16 at the speed of fp32 (on an AVX2 CPU,
// LibTorch 1.13's bf16 GEMM runs about 40x slower than its fp32 one: docs/training.md).
//
//   auto y = precision::linear(x, w, b);        // x (..., in) bf16; w (out, in) fp32 or bf16
//   auto s = precision::matmul(q, k.transpose(-2, -1));
#pragma once

#include <torch/torch.h>

#include <string>

#include "util/expected.h"

namespace stepcoder::model::precision {

// "float32" -> kFloat, "bfloat16" -> kBFloat16; anything else is an error naming the choices.
Expected<torch::ScalarType> parse_dtype(const std::string& name);

// How a bf16 product is computed: kAuto picks kNative where the device has a bf16 GEMM.
enum class Bf16Gemm { kAuto, kNative, kWide };
void set_bf16_gemm(Bf16Gemm mode);  // process-wide, for tests and benchmarks; default kAuto
bool native_bf16_gemm(const torch::Device& device);

// x W^T + b in x's dtype (W (out, in), b (out) or undefined).
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b = {});
// a @ b, both of one batch shape (no broadcasting), in a's dtype.
torch::Tensor matmul(const torch::Tensor& a, const torch::Tensor& b);

// `t` in dtype `d` (itself when it is already).
inline torch::Tensor as(const torch::Tensor& t, torch::ScalarType d) {
  return t.scalar_type() == d ? t : t.to(d);
}

}  // namespace stepcoder::model::precision
