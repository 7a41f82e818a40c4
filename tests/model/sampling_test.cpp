// Sampling: cache == no cache (greedy), seeds, stop sequences, spans, samplers, bad prompts.
#include "model/sampling.h"

#include <gtest/gtest.h>

#include "tests/model/tiny_model.h"

namespace stepcoder::model {
namespace {

using testing::tiny_config;
using testing::tiny_tokenizer;

std::vector<std::vector<int>> prompts() {
  const Tokenizer& tok = tiny_tokenizer();
  return {tok.encode_ids("int f(int a) {\n"), tok.encode_ids("// Return a + b.\nint add_values_3(int a, int b) {\n"),
          tok.encode_ids("x")};
}

TEST(SamplingTest, CacheGivesTheSameGreedyTokensAsRecomputing) {
  torch::manual_seed(5);
  Transformer m(tiny_config());
  SamplingConfig sc;
  sc.temperature = 0, sc.max_new_tokens = 24;
  auto cached = generate(m, tiny_tokenizer(), prompts(), sc, /*use_cache=*/true);
  auto plain = generate(m, tiny_tokenizer(), prompts(), sc, /*use_cache=*/false);
  ASSERT_TRUE(cached) << cached.error();
  ASSERT_TRUE(plain) << plain.error();
  for (size_t i = 0; i < prompts().size(); ++i) {
    EXPECT_EQ((*cached)[i].tokens, (*plain)[i].tokens) << i;
    ASSERT_EQ((*cached)[i].logprobs.size(), (*plain)[i].logprobs.size());
    for (size_t t = 0; t < (*cached)[i].logprobs.size(); ++t)
      EXPECT_NEAR((*cached)[i].logprobs[t], (*plain)[i].logprobs[t], 1e-3);
  }
  // Batching does not change a row: the second prompt alone gives the same tokens.
  auto alone = generate(m, tiny_tokenizer(), {prompts()[1]}, sc);
  ASSERT_TRUE(alone);
  EXPECT_EQ((*alone)[0].tokens, (*cached)[1].tokens);
}

TEST(SamplingTest, SeedsReproduceAndSpansCoverTheText) {
  torch::manual_seed(6);
  Transformer m(tiny_config());
  SamplingConfig sc;
  sc.temperature = 1.0, sc.max_new_tokens = 20, sc.seed = 11;
  auto a = generate(m, tiny_tokenizer(), prompts(), sc);
  auto b = generate(m, tiny_tokenizer(), prompts(), sc);
  sc.seed = 12;
  auto c = generate(m, tiny_tokenizer(), prompts(), sc);
  ASSERT_TRUE(a && b && c);
  bool any_diff = false;
  for (size_t i = 0; i < a->size(); ++i) {
    const Completion& x = (*a)[i];
    EXPECT_EQ(x.tokens, (*b)[i].tokens);
    any_diff = any_diff || x.tokens != (*c)[i].tokens;
    ASSERT_EQ(x.spans.size(), x.tokens.size());
    for (size_t t = 0; t < x.tokens.size(); ++t) {
      EXPECT_EQ(x.text.substr(x.spans[t].begin, x.spans[t].end - x.spans[t].begin),
                tiny_tokenizer().token_text(x.tokens[t]).substr(0, x.spans[t].end - x.spans[t].begin));
      EXPECT_LE(x.logprobs[t], 0.0f);
    }
  }
  EXPECT_TRUE(any_diff);
}

TEST(SamplingTest, StopSequencesCutTheCompletion) {
  torch::manual_seed(7);
  Transformer m(tiny_config());
  SamplingConfig sc;
  sc.temperature = 1.0, sc.max_new_tokens = 40, sc.seed = 3;
  auto free_run = generate(m, tiny_tokenizer(), {prompts()[0]}, sc);
  ASSERT_TRUE(free_run);
  const std::string& text = (*free_run)[0].text;
  ASSERT_GE(text.size(), 4u);
  sc.stop = {text.substr(2, 2)};
  auto stopped = generate(m, tiny_tokenizer(), {prompts()[0]}, sc);
  ASSERT_TRUE(stopped);
  const Completion& s = (*stopped)[0];
  EXPECT_EQ(s.finish_reason, "stop");
  size_t first = text.find(sc.stop[0]);
  EXPECT_EQ(s.text, text.substr(0, first + 2));
  EXPECT_EQ(s.spans.back().end, static_cast<int>(s.text.size()));
}

TEST(SamplingTest, TopKOneIsGreedyAndTopPKeepsTheMass) {
  auto logits = torch::tensor({{1.0f, 3.0f, 2.0f, 0.0f}});
  auto k = TopKSampler(2).apply(logits);
  EXPECT_TRUE(std::isinf(k[0][3].item<float>()) && std::isinf(k[0][0].item<float>()));
  EXPECT_FLOAT_EQ(k[0][1].item<float>(), 3.0f);
  auto p = TopPSampler(0.5).apply(logits);  // the top token alone holds ~0.67
  EXPECT_FALSE(std::isinf(p[0][1].item<float>()));
  EXPECT_TRUE(std::isinf(p[0][2].item<float>()));
  SamplingConfig sc;
  sc.temperature = 1.0, sc.top_k = 1;
  EXPECT_EQ(make_sampler_chain(sc).draw(logits)[0].item<int64_t>(), 1);
  EXPECT_EQ(make_sampler_chain(sc).describe(), "temperature(1.000000) -> top_k(1) -> draw");
}

// Top-p keeps the mass of the distribution that is drawn from: the one after the temperature.
// At temperature 1 the first of these logits holds 0.67 >= 0.6 and is kept alone; at 2 it holds
// 0.51, so the second (0.31) is kept as well, and the third (0.19) never is.
TEST(SamplingTest, TheTemperatureComesBeforeTopP) {
  auto logits = torch::tensor({{2.0f, 1.0f, 0.0f}}).repeat({512, 1});
  SamplingConfig sc;
  sc.temperature = 2.0, sc.top_p = 0.6, sc.seed = 3;
  SamplerChain chain = make_sampler_chain(sc);
  EXPECT_EQ(chain.describe(), "temperature(2.000000) -> top_p(0.600000) -> draw");
  auto drawn = chain.draw(logits);
  const int64_t second = (drawn == 1).sum().item<int64_t>(), third = (drawn == 2).sum().item<int64_t>();
  EXPECT_GT(second, 512 / 5) << "the second token holds 0.38 of the kept mass";
  EXPECT_EQ(third, 0);
}

TEST(SamplingTest, BadPromptsAreErrors) {
  Transformer m(tiny_config());
  SamplingConfig sc;
  std::vector<int> too_long(tiny_config().context + 5, 10);
  auto r = generate(m, tiny_tokenizer(), {too_long}, sc);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("model context is 96"), std::string::npos) << r.error();
  EXPECT_FALSE(generate(m, tiny_tokenizer(), {{}}, sc));
  EXPECT_FALSE(generate(m, tiny_tokenizer(), {{1, 99999}}, sc));
}

}  // namespace
}  // namespace stepcoder::model
