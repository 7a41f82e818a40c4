// Mixed-precision products (see precision.h).
#include "model/precision.h"

#include <atomic>
#include <fstream>

namespace stepcoder::model::precision {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

std::atomic<Bf16Gemm> g_mode{Bf16Gemm::kAuto};

bool cpu_has_bf16_gemm() {
  static const bool has = [] {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("flags", 0) == 0)
        return line.find(" avx512_bf16") != std::string::npos || line.find(" amx_bf16") != std::string::npos;
    return false;
  }();
  return has;
}

// `t` rounded to `d`, then widened to fp32: a native bf16 GEMM's operand, exactly.
torch::Tensor rounded(const torch::Tensor& t, torch::ScalarType d) { return as(t, d).to(torch::kFloat); }

// x W^T computed in fp32 on operands rounded to x's dtype, as a native GEMM of that dtype takes
// them; the product is rounded to x's dtype. Backward keeps x and W as they came (bf16 x, a
// bf16 frozen W or an fp32 master) and returns each gradient in its input's dtype.
struct WideLinear : torch::autograd::Function<WideLinear> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& w) {
    ctx->save_for_backward({x, w});
    const auto dt = x.scalar_type();
    return torch::linear(x.to(torch::kFloat), rounded(w, dt)).to(dt);
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto &x = saved[0], &w = saved[1];
    auto g = grads[0].to(torch::kFloat);
    torch::Tensor gx, gw;
    if (ctx->needs_input_grad(0)) gx = torch::matmul(g, rounded(w, x.scalar_type())).to(x.scalar_type());
    if (ctx->needs_input_grad(1)) {
      auto g2 = g.reshape({-1, g.size(-1)});
      auto x2 = x.reshape({-1, x.size(-1)}).to(torch::kFloat);
      gw = torch::matmul(g2.t(), x2).to(w.scalar_type());
    }
    return {gx, gw};
  }
};

// a @ b computed in fp32 for operands of one batch shape, rounded to a's dtype.
struct WideMatmul : torch::autograd::Function<WideMatmul> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& a, const torch::Tensor& b) {
    ctx->save_for_backward({a, b});
    return torch::matmul(a.to(torch::kFloat), rounded(b, a.scalar_type())).to(a.scalar_type());
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto &a = saved[0], &b = saved[1];
    auto g = grads[0].to(torch::kFloat);
    torch::Tensor ga, gb;
    if (ctx->needs_input_grad(0)) ga = torch::matmul(g, rounded(b, a.scalar_type()).transpose(-2, -1)).to(a.scalar_type());
    if (ctx->needs_input_grad(1)) gb = torch::matmul(a.to(torch::kFloat).transpose(-2, -1), g).to(b.scalar_type());
    return {ga, gb};
  }
};

bool wide(const torch::Tensor& x) {
  return x.scalar_type() == torch::kBFloat16 && !native_bf16_gemm(x.device());
}

}  // namespace

Expected<torch::ScalarType> parse_dtype(const std::string& name) {
  if (name == "float32") return torch::kFloat;
  if (name == "bfloat16") return torch::kBFloat16;
  return Error("model.dtype '" + name + "' is neither float32 nor bfloat16");
}

void set_bf16_gemm(Bf16Gemm mode) { g_mode = mode; }

bool native_bf16_gemm(const torch::Device& device) {
  switch (g_mode.load()) {
    case Bf16Gemm::kNative: return true;
    case Bf16Gemm::kWide: return false;
    case Bf16Gemm::kAuto: break;
  }
  return device.is_cuda() || cpu_has_bf16_gemm();
}

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) {
  const auto dt = x.scalar_type();
  if (!wide(x)) return torch::linear(x, as(w, dt), b.defined() ? as(b, dt) : b);
  auto y = WideLinear::apply(x, w);
  return b.defined() ? y + as(b, dt) : y;
}

torch::Tensor matmul(const torch::Tensor& a, const torch::Tensor& b) {
  const auto dt = a.scalar_type();
  if (!wide(a)) return torch::matmul(a, as(b, dt));
  TORCH_CHECK(a.dim() == b.dim() && a.sizes().slice(0, a.dim() - 2).equals(b.sizes().slice(0, b.dim() - 2)),
              "precision::matmul: operands of one batch shape (its backward does not reduce broadcast dimensions)");
  return WideMatmul::apply(a, b);
}

}  // namespace stepcoder::model::precision
