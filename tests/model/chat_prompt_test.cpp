// Chat prompts (model.prompt_format: chat): the answer starts with the prompt byte for byte,
// templates that cannot start an answer fail when the format is set, and checkpoints keep the
// format.
#include "model/chat_prompt.h"

#include <gtest/gtest.h>

#include "model/checkpoint.h"
#include "tests/model/tiny_model.h"
#include "util/files.h"

namespace stepcoder::model {
namespace {

using testing::tiny_config;
using testing::tiny_tokenizer;

// Trims every message, as Llama 3's template does.
constexpr const char* kTrimming =
    "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content | trim }}</{{ m.role }}>\n{% endfor %}"
    "{% if add_generation_prompt %}<assistant>{% endif %}";

PromptFormat chat(const std::string& source, const std::string& system = "") {
  PromptFormat f;
  f.kind = "chat", f.chat_template = source, f.system_prompt = system;
  return f;
}

TEST(ChatPromptTest, TheAnswerStartsWithThePromptExactlyEvenWhereTheTemplateTrims) {
  auto c = ChatPrompt::make(chat(kTrimming, "Be brief."), "", "<s>", "</s>");
  ASSERT_TRUE(c) << c.error();
  const std::string prompt = "  int add(int a, int b) {\n    \n";
  auto text = c->render(prompt);
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(*text, "<s><system>Be brief.</system>\n<user>int add(int a, int b) {</user>\n<assistant>" + prompt);
}

TEST(ChatPromptTest, TheTokenizersTemplateServesWhereTheFormatNamesNone) {
  auto c = ChatPrompt::make(chat(""), "[{{ messages[0].content }}]{{ messages[-1].content }}", "", "");
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(*c->render("x"), "[x]x");
}

TEST(ChatPromptTest, TemplatesThatCannotStartTheAnswerFailWhenTheFormatIsSet) {
  auto none = ChatPrompt::make(chat(""), "", "", "");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().find("no chat template"), std::string::npos) << none.error();
  EXPECT_NE(none.error().find("HINT"), std::string::npos) << none.error();
  // Drops the assistant's message: the answer cannot start with the prompt.
  auto dropped = ChatPrompt::make(chat("{% for m in messages if m.role == 'user' %}{{ m.content }}{% endfor %}"), "", "", "");
  ASSERT_FALSE(dropped);
  EXPECT_NE(dropped.error().find("assistant's message"), std::string::npos) << dropped.error();
  auto with_system = ChatPrompt::make(
      chat("{% if messages[0].role == 'system' %}{{ raise_exception('no system role') }}{% endif %}", "sys"), "", "", "");
  ASSERT_FALSE(with_system);
  EXPECT_NE(with_system.error().find("no system role"), std::string::npos) << with_system.error();
  auto syntax = ChatPrompt::make(chat("{% for m in messages %}{{ m.content }}"), "", "", "");
  ASSERT_FALSE(syntax);
  EXPECT_NE(syntax.error().find("model.chat_template"), std::string::npos) << syntax.error();
}

TEST(ChatPromptTest, TheTokenizerEncodesTheRenderedConversationWithoutThePostProcessor) {
  Tokenizer tok = tiny_tokenizer();
  const std::string prompt = "int f() {\n";
  auto plain = tok.encode_prompt(prompt);
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, tok.encode_ids(prompt));
  ASSERT_TRUE(tok.set_prompt_format(chat("Q: {{ messages[0].content }}A: {{ messages[1].content }}")));
  auto ids = tok.encode_prompt(prompt);
  ASSERT_TRUE(ids) << ids.error();
  EXPECT_EQ(*ids, tok.encode_ids("Q: " + prompt + "A: " + prompt));
  PromptFormat bad;
  bad.kind = "chatty";
  EXPECT_FALSE(tok.set_prompt_format(bad));
  EXPECT_TRUE(tok.prompt_format().chat());  // unchanged by the refused format
}

TEST(ChatPromptTest, CheckpointsKeepTheFormatAndTheRunsConfigWins) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  Tokenizer tok = tiny_tokenizer();
  const PromptFormat f = chat("{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}", "sys");
  Status set = tok.set_prompt_format(f);
  ASSERT_TRUE(set) << set.error();
  Transformer m(tiny_config());
  ASSERT_TRUE(save_checkpoint(dir->file("a.pt"), m, tok, nullptr, {}));
  auto ck = load_checkpoint(dir->file("a.pt"), "cpu");
  ASSERT_TRUE(ck) << ck.error();
  EXPECT_TRUE(ck->tokenizer->prompt_format() == f);
  EXPECT_EQ(*ck->tokenizer->encode_prompt("x"), *tok.encode_prompt("x"));
  ASSERT_TRUE(apply_prompt_format(*ck->tokenizer, PromptFormat{}, "a.pt"));
  EXPECT_FALSE(ck->tokenizer->prompt_format().chat());
  EXPECT_EQ(*ck->tokenizer->encode_prompt("x"), tok.encode_ids("x"));
}

}  // namespace
}  // namespace stepcoder::model
