// Mixed precision: the fp32-computed bf16 products match autograd in fp32 on the same rounded
// operands and return each gradient in its input's dtype; a bf16 model's log-probabilities stay
// within a stated tolerance of the fp32 model with the same weights; frozen weights are stored
// in bf16 and trainable ones in fp32; checkpoints of a bf16 LoRA model load back bit for bit.
#include <gtest/gtest.h>

#include "model/checkpoint.h"
#include "model/lora.h"
#include "model/precision.h"
#include "model/transformer.h"
#include "tests/model/tiny_model.h"
#include "util/files.h"

namespace stepcoder::model {
namespace {

using testing::tiny_config;
using testing::tiny_tokenizer;

// Restores the process-wide GEMM choice when a test leaves.
struct GemmMode {
  explicit GemmMode(precision::Bf16Gemm m) { precision::set_bf16_gemm(m); }
  ~GemmMode() { precision::set_bf16_gemm(precision::Bf16Gemm::kAuto); }
};

torch::Tensor bf16_leaf(torch::IntArrayRef shape) {
  return torch::randn(shape).to(torch::kBFloat16).requires_grad_(true);
}

// The same computation in fp32 autograd on the bf16 operands' exact values.
torch::Tensor fp32_twin(const torch::Tensor& t) { return t.detach().to(torch::kFloat).requires_grad_(true); }

TEST(PrecisionTest, WideLinearMatchesFp32AutogradAndKeepsEachGradientsDtype) {
  GemmMode wide(precision::Bf16Gemm::kWide);
  torch::manual_seed(1);
  auto x = bf16_leaf({3, 5, 16});
  auto w = torch::randn({8, 16}, torch::requires_grad());  // an fp32 master weight
  auto b = torch::randn({8}, torch::requires_grad());
  auto y = precision::linear(x, w, b);
  EXPECT_EQ(y.scalar_type(), torch::kBFloat16);
  auto g = torch::randn({3, 5, 8});
  (y.to(torch::kFloat) * g).sum().backward();

  auto x32 = fp32_twin(x);  // with the master weights rounded as the product uses them
  auto w32 = fp32_twin(w.to(torch::kBFloat16)), b32 = fp32_twin(b.to(torch::kBFloat16));
  auto y32 = torch::linear(x32, w32, b32);
  (y32 * g.to(torch::kBFloat16).to(torch::kFloat)).sum().backward();
  EXPECT_TRUE(torch::allclose(y.to(torch::kFloat), y32, 1e-2, 2e-2)) << "bf16 rounding of the output only";
  EXPECT_EQ(x.grad().scalar_type(), torch::kBFloat16);
  EXPECT_EQ(w.grad().scalar_type(), torch::kFloat) << "the optimizer gets fp32 gradients for its masters";
  EXPECT_TRUE(torch::allclose(x.grad().to(torch::kFloat), x32.grad(), 1e-2, 2e-2));
  EXPECT_TRUE(torch::allclose(w.grad(), w32.grad(), 1e-2, 2e-2));
  EXPECT_TRUE(torch::allclose(b.grad(), b32.grad(), 1e-2, 2e-2));
}

TEST(PrecisionTest, WideMatmulMatchesFp32AutogradOnBatchedOperands) {
  GemmMode wide(precision::Bf16Gemm::kWide);
  torch::manual_seed(2);
  auto a = bf16_leaf({2, 3, 7, 4}), b = bf16_leaf({2, 3, 4, 6});
  auto y = precision::matmul(a, b);
  EXPECT_EQ(y.scalar_type(), torch::kBFloat16);
  y.to(torch::kFloat).pow(2).sum().backward();
  auto a32 = fp32_twin(a), b32 = fp32_twin(b);
  torch::matmul(a32, b32).to(torch::kBFloat16).to(torch::kFloat).pow(2).sum().backward();
  EXPECT_TRUE(torch::allclose(a.grad().to(torch::kFloat), a32.grad(), 2e-2, 5e-2));
  EXPECT_TRUE(torch::allclose(b.grad().to(torch::kFloat), b32.grad(), 2e-2, 5e-2));
  EXPECT_EQ(b.grad().scalar_type(), torch::kBFloat16);
}

TEST(PrecisionTest, Fp32InputsTakeThePlainProducts) {
  torch::manual_seed(3);
  auto x = torch::randn({4, 16}), w = torch::randn({8, 16}), b = torch::randn({8});
  EXPECT_TRUE(torch::equal(precision::linear(x, w, b), torch::linear(x, w, b)));
  EXPECT_TRUE(torch::equal(precision::matmul(x, w.t()), torch::matmul(x, w.t())));
}

TEST(PrecisionTest, BadDtypeNamesAreNamed) {
  auto d = precision::parse_dtype("float16");
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().find("neither float32 nor bfloat16"), std::string::npos) << d.error();
  ModelConfig c = tiny_config();
  c.dtype = "half";
  Status st = validate(c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("model.dtype 'half'"), std::string::npos) << st.error();
}

struct Scores {
  torch::Tensor logprobs, values;
};

Scores score(Transformer& m, const torch::Tensor& ids) {
  torch::NoGradGuard no_grad;
  m->eval();
  auto s = score_sequences(m, ids);
  return {s.logprobs, s.values};
}

torch::Tensor some_ids() {
  torch::manual_seed(11);
  return torch::randint(3, tiny_config().vocab_size, {3, 40}, torch::kLong);
}

// The tolerance docs/training.md states for bf16 against fp32 on the same weights.
constexpr double kLogprobTolerance = 0.02;  // nats, largest gap over every scored token (measured: 0.0016)

TEST(PrecisionTest, Bf16LogprobsStayWithinTheStatedToleranceOfFp32) {
  for (auto mode : {precision::Bf16Gemm::kWide, precision::Bf16Gemm::kNative}) {
    GemmMode gemm(mode);
    torch::manual_seed(5);
    Transformer fp32(tiny_config());
    Transformer bf16 = clone_model(fp32, /*frozen=*/true);  // every weight frozen: stored in bf16
    bf16->set_dtype("bfloat16");
    for (const auto& p : bf16->parameters()) ASSERT_EQ(p.scalar_type(), torch::kBFloat16);
    auto ids = some_ids();
    Scores a = score(fp32, ids), b = score(bf16, ids);
    ASSERT_EQ(b.logprobs.scalar_type(), torch::kFloat) << "log-probs are computed in fp32";
    const double gap = (a.logprobs - b.logprobs).abs().max().item<double>();
    std::printf("bf16 against fp32 (%s GEMM): largest log-prob gap %.4f nats\n",
                mode == precision::Bf16Gemm::kWide ? "fp32-computed" : "native", gap);
    EXPECT_LT(gap, kLogprobTolerance) << "mode " << static_cast<int>(mode);
    EXPECT_GT(gap, 0.0) << "the bf16 model computed in fp32 after all";
  }
}

TEST(PrecisionTest, Bf16LoraStoresTheBaseInBf16AndTrainsFp32Adapters) {
  torch::manual_seed(6);
  ModelConfig c = tiny_config();
  c.dtype = "bfloat16";
  Transformer base(c);
  LoraConfig l;
  l.rank = 4, l.alpha = 8;
  Transformer m = with_adapters(base, l, 3);
  int64_t frozen = 0, trainable = 0;
  for (const auto& p : m->named_parameters()) {
    const bool trains = p.value().requires_grad();
    EXPECT_EQ(p.value().scalar_type(), trains ? torch::kFloat : torch::kBFloat16) << p.key();
    (trains ? trainable : frozen) += 1;
  }
  ASSERT_GT(frozen, 0);
  ASSERT_GT(trainable, 0);
  m->train();
  auto ids = some_ids();
  auto out = m->forward(ids);
  EXPECT_EQ(out.logits.scalar_type(), torch::kFloat);
  (out.logits.logsumexp(-1).mean() + out.values.pow(2).mean()).backward();
  for (const auto& p : m->trainable_parameters()) {
    ASSERT_TRUE(p.grad().defined());
    EXPECT_EQ(p.grad().scalar_type(), torch::kFloat);
  }
  // The KV cache of sampling is in the compute dtype.
  EXPECT_EQ(m->new_cache(1, 8).k[0].scalar_type(), torch::kBFloat16);
}

TEST(PrecisionTest, ABf16LoraCheckpointLoadsBackBitForBit) {
  torch::manual_seed(8);
  ModelConfig c = tiny_config();
  c.dtype = "bfloat16";
  LoraConfig l;
  l.rank = 2, l.alpha = 4, l.targets = {"wq", "down"};
  Transformer m = with_adapters(Transformer(c), l, 3);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : m->trainable_parameters()) p.add_(torch::randn_like(p) * 0.1);  // moved adapters
  }
  auto dir = TempDir::create("precision-test");
  ASSERT_TRUE(dir);
  ASSERT_TRUE(save_checkpoint(dir->file("a.pt"), m, tiny_tokenizer(), nullptr, {}));
  auto ck = load_checkpoint(dir->file("a.pt"), "cpu");
  ASSERT_TRUE(ck) << ck.error();
  ck->model->set_dtype("bfloat16");  // the run's model.dtype, as the trainers apply it
  auto loaded = ck->model->named_parameters();
  for (const auto& p : m->named_parameters()) {
    ASSERT_EQ(loaded[p.key()].scalar_type(), p.value().scalar_type()) << p.key();
    EXPECT_TRUE(torch::equal(loaded[p.key()], p.value())) << p.key();
  }
  auto ids = some_ids();
  EXPECT_TRUE(torch::equal(score(ck->model, ids).logprobs, score(m, ids).logprobs));
}

TEST(PrecisionTest, TheFrozenReferenceOfABf16ModelHoldsBf16Weights) {
  torch::manual_seed(9);
  ModelConfig c = tiny_config();
  c.dtype = "bfloat16";
  Transformer policy(c);
  for (const auto& p : policy->parameters()) ASSERT_EQ(p.scalar_type(), torch::kFloat) << "masters train in fp32";
  Transformer ref = clone_frozen(policy);
  for (const auto& p : ref->parameters()) EXPECT_EQ(p.scalar_type(), torch::kBFloat16);
  auto ids = some_ids();
  EXPECT_TRUE(torch::equal(score(ref, ids).logprobs, score(policy, ids).logprobs))
      << "rounding the weights at rest or at use gives the same products";
}

}  // namespace
}  // namespace stepcoder::model
