// Hugging Face model directories: export and import of every supported architecture, shards,
// and the errors of damaged or mismatched files. Forward parity with a reference written after
// the Hugging Face modeling code is tests/model/hf_model/parity.sh.
#include "model/hf_model.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include <nlohmann/json.hpp>

#include "model/safetensors.h"
#include "tests/model/tiny_model.h"
#include "util/files.h"

namespace stepcoder::model {
namespace {

using Json = nlohmann::json;
using testing::tiny_config;
using testing::tiny_tokenizer;

ModelConfig variant(const std::string& arch) {
  ModelConfig c = tiny_config();
  c.architecture = arch;
  c.kv_heads = 2, c.tie_embeddings = false, c.mlp_hidden = 48;
  if (arch == "qwen2") c.qkv_bias = true, c.tie_embeddings = true, c.rope_theta = 1e6;
  if (arch == "qwen3") c.qk_norm = true, c.head_dim_override = 16;
  if (arch == "llama") c.rope_scaling = {"llama3", 8.0, 1.0, 4.0, 32};
  if (arch == "mistral") c.rope_scaling = {"linear", 4.0, 1.0, 4.0, 0};
  return c;
}

// A model whose every parameter (biases and norms too) is random, so a lost tensor shows.
Transformer random_model(const ModelConfig& c, int seed) {
  torch::manual_seed(seed);
  Transformer m(c);
  torch::NoGradGuard no_grad;
  for (auto& p : m->parameters()) p.normal_(0, 0.2);
  m->eval();
  return m;
}

torch::Tensor logits(Transformer& m, const torch::Tensor& ids) { return m->forward(ids).logits; }

class HfModelTest : public ::testing::TestWithParam<std::string> {};

TEST_P(HfModelTest, ExportThenImportGivesBitwiseTheSameLogits) {
  auto dir = TempDir::create("stepcoder-hfm");
  ASSERT_TRUE(dir);
  ModelConfig c = variant(GetParam());
  Transformer m = random_model(c, 3);
  ASSERT_TRUE(export_hf(m, tiny_tokenizer(), dir->file("out")));
  auto back = import_hf(dir->file("out"), "cpu");
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(describe_shape((*back)->config()), describe_shape(c));
  auto ids = torch::randint(4, c.vocab_size, {2, 40}, torch::kLong);
  EXPECT_TRUE(torch::equal(logits(*back, ids), logits(m, ids)));
  EXPECT_TRUE(file_exists(dir->file("out/tokenizer.model")));
  // Every exported tensor is one the import needs, with its shape: names and shapes agree.
  auto f = SafetensorsFile::open(dir->file("out/model.safetensors"));
  ASSERT_TRUE(f) << f.error();
  size_t params = 0;
  for (auto& p : m->named_parameters()) params += p.key().rfind("value_head.", 0) != 0;
  EXPECT_EQ((*f)->tensors().size(), params);
}

INSTANTIATE_TEST_SUITE_P(Architectures, HfModelTest, ::testing::Values("llama", "mistral", "qwen2", "qwen3"));

TEST(HfModelFiles, Bf16ExportAndShardsImport) {
  auto dir = TempDir::create("stepcoder-hfm");
  ASSERT_TRUE(dir);
  ModelConfig c = variant("qwen3");
  Transformer m = random_model(c, 4);
  ASSERT_TRUE(export_hf(m, tiny_tokenizer(), dir->file("bf16"), "bfloat16"));
  auto bf = import_hf(dir->file("bf16"), "cpu");
  ASSERT_TRUE(bf) << bf.error();
  auto ids = torch::randint(4, c.vocab_size, {1, 20}, torch::kLong);
  EXPECT_TRUE(torch::allclose(logits(*bf, ids), logits(m, ids), 0.05, 0.05));
  EXPECT_FALSE(torch::equal(logits(*bf, ids), logits(m, ids)));  // rounded, not bitwise

  // Split the float32 export into two shards with an index.
  ASSERT_TRUE(export_hf(m, tiny_tokenizer(), dir->file("one")));
  auto f = SafetensorsFile::open(dir->file("one/model.safetensors"));
  ASSERT_TRUE(f);
  std::vector<SafeTensorOut> a, b;
  Json map = Json::object();
  for (const auto& [name, t] : (*f)->tensors()) {
    bool first = name.find("layers.1.") == std::string::npos;
    (first ? a : b).push_back({name, t.dtype, t.shape, (*f)->data(t), t.end - t.begin});
    map[name] = first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
  }
  ASSERT_TRUE(make_dirs(dir->file("sharded")));
  ASSERT_TRUE(write_safetensors(dir->file("sharded/model-00001-of-00002.safetensors"), a));
  ASSERT_TRUE(write_safetensors(dir->file("sharded/model-00002-of-00002.safetensors"), b));
  ASSERT_TRUE(write_file_atomic(dir->file("sharded/model.safetensors.index.json"), Json{{"weight_map", map}}.dump()));
  ASSERT_TRUE(write_file_atomic(dir->file("sharded/config.json"), *read_file(dir->file("one/config.json"))));
  auto sharded = import_hf(dir->file("sharded"), "cpu");
  ASSERT_TRUE(sharded) << sharded.error();
  EXPECT_TRUE(torch::equal(logits(*sharded, ids), logits(m, ids)));
  ::unlink(dir->file("sharded/model-00002-of-00002.safetensors").c_str());
  auto missing = import_hf(dir->file("sharded"), "cpu");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("model-00002-of-00002.safetensors: missing shard"), std::string::npos) << missing.error();
}

// Writes an exported directory, lets `edit` damage it, and returns the import's error.
template <class Edit>
std::string import_error(const std::string& arch, Edit edit) {
  auto dir = TempDir::create("stepcoder-hfm");
  if (!dir) return "no temp dir";
  Transformer m = random_model(variant(arch), 5);
  if (!export_hf(m, tiny_tokenizer(), dir->file("m"))) return "export failed";
  edit(dir->file("m"));
  auto r = import_hf(dir->file("m"), "cpu");
  return r ? "" : r.error();
}

void edit_config(const std::string& d, const std::function<void(Json&)>& f) {
  Json j = Json::parse(*read_file(d + "/config.json"));
  f(j);
  ASSERT_TRUE(write_file_atomic(d + "/config.json", j.dump()));
}

void edit_file(const std::string& path, const std::function<void(std::string&)>& f) {
  std::string s = *read_file(path);
  f(s);
  ASSERT_TRUE(write_file_atomic(path, s));
}

// Rewrites model.safetensors with the tensors `keep` lets through, renamed by `rename`.
void rewrite_tensors(const std::string& d, const std::function<std::string(const std::string&)>& rename) {
  auto f = SafetensorsFile::open(d + "/model.safetensors");
  ASSERT_TRUE(f);
  std::vector<SafeTensorOut> out;
  for (const auto& [name, t] : (*f)->tensors()) {
    std::string n = rename(name);
    if (!n.empty()) out.push_back({n, t.dtype, t.shape, (*f)->data(t), t.end - t.begin});
  }
  ASSERT_TRUE(write_safetensors(d + "/model.safetensors.new", out));
  ASSERT_EQ(std::rename((d + "/model.safetensors.new").c_str(), (d + "/model.safetensors").c_str()), 0);
}

bool has(const std::string& error, const std::string& part) { return error.find(part) != std::string::npos; }

TEST(HfModelFiles, DamagedAndMismatchedFilesNameTheFileAndTheKey) {
  auto e = import_error("llama", [](const std::string& d) {
    edit_config(d, [](Json& j) { j["model_type"] = "gpt_neox"; });
  });
  EXPECT_TRUE(has(e, "config.json: model_type 'gpt_neox' is not supported")) << e;
  e = import_error("llama", [](const std::string& d) {
    edit_config(d, [](Json& j) { j["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4.0}}; });
  });
  EXPECT_TRUE(has(e, "rope_scaling type 'yarn' is not supported")) << e;
  e = import_error("llama", [](const std::string& d) {
    edit_file(d + "/model.safetensors", [](std::string& s) { s.resize(s.size() - 100); });
  });
  EXPECT_TRUE(has(e, "model.safetensors: tensor ") && has(e, "point past the end")) << e;
  e = import_error("llama", [](const std::string& d) {
    edit_file(d + "/model.safetensors", [](std::string& s) { uint64_t n = 1 << 30; std::memcpy(&s[0], &n, 8); });
  });
  EXPECT_TRUE(has(e, "header length 1073741824 runs past the end")) << e;
  e = import_error("llama", [](const std::string& d) {
    edit_file(d + "/model.safetensors", [](std::string& s) { s.resize(5); });
  });
  EXPECT_TRUE(has(e, "too short for a safetensors file")) << e;
  e = import_error("llama", [](const std::string& d) {
    edit_config(d, [](Json& j) { j["intermediate_size"] = 64; });
  });
  EXPECT_TRUE(has(e, "tensor model.layers.") && has(e, "has shape") && has(e, "expects")) << e;
  e = import_error("llama", [](const std::string& d) {
    rewrite_tensors(d, [](const std::string& n) { return n == "model.norm.weight" ? "model.extra.weight" : n; });
  });
  EXPECT_TRUE(has(e, "tensor model.extra.weight is not used by a llama model")) << e;
  e = import_error("qwen2", [](const std::string& d) {
    rewrite_tensors(d, [](const std::string& n) { return has(n, "layers.1.self_attn.k_proj.bias") ? "" : n; });
  });
  EXPECT_TRUE(has(e, "missing tensor model.layers.1.self_attn.k_proj.bias")) << e;
  // A Qwen2 file relabelled llama: its biases are tensors a llama model does not use.
  e = import_error("qwen2", [](const std::string& d) { edit_config(d, [](Json& j) { j["model_type"] = "llama"; }); });
  EXPECT_TRUE(has(e, "_proj.bias is not used by a llama model")) << e;
  e = import_error("llama", [](const std::string& d) {
    edit_config(d, [](Json& j) { j["tie_word_embeddings"] = true; });
  });
  EXPECT_TRUE(has(e, "lm_head.weight differs from the embedding")) << e;
  e = import_error("llama", [](const std::string& d) { ::unlink((d + "/model.safetensors").c_str()); });
  EXPECT_TRUE(has(e, "neither model.safetensors nor model.safetensors.index.json")) << e;
}

}  // namespace
}  // namespace stepcoder::model
