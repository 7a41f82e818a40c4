// Chat prompts (see chat_prompt.h). The assistant's message is rendered as a marker that no
// template changes (no whitespace, no markup); the text before the marker's last occurrence,
// then the prompt itself, is what the policy reads.
#include "model/chat_prompt.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace stepcoder::model {

namespace {

// Printable and without whitespace: `| trim` and friends leave it as it is.
constexpr std::string_view kAnswer = "[[stepcoder:answer-starts-here]]";

nlohmann::ordered_json conversation(const PromptFormat& f, std::string_view prompt, const std::string& bos,
                                    const std::string& eos) {
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  if (!f.system_prompt.empty()) messages.push_back({{"role", "system"}, {"content", f.system_prompt}});
  messages.push_back({{"role", "user"}, {"content", std::string(prompt)}});
  messages.push_back({{"role", "assistant"}, {"content", std::string(kAnswer)}});
  return {{"messages", messages}, {"add_generation_prompt", false}, {"bos_token", bos}, {"eos_token", eos}};
}

}  // namespace

ChatPrompt::ChatPrompt(jinja::Template t, PromptFormat f, std::string bos, std::string eos)
    : template_(std::move(t)), format_(std::move(f)), bos_(std::move(bos)), eos_(std::move(eos)) {}

Expected<ChatPrompt> ChatPrompt::make(const PromptFormat& format, const std::string& tokenizer_template,
                                      const std::string& bos_token, const std::string& eos_token) {
  const bool own = !format.chat_template.empty();
  const std::string& source = own ? format.chat_template : tokenizer_template;
  const std::string origin = own ? "model.chat_template" : "the tokenizer's chat template";
  if (source.empty())
    return Error("model.prompt_format chat: the tokenizer has no chat template (tokenizer_config.json "
                 "chat_template) (HINT: set model.chat_template, or use prompt_format plain for a base model)");
  auto t = jinja::Template::parse(source, origin);
  if (!t) return Error("model.prompt_format chat: " + t.error());
  ChatPrompt chat(std::move(*t), format, bos_token, eos_token);
  if (auto probe = chat.render("int add(int a, int b) {\n"); !probe)
    return Error("model.prompt_format chat: " + probe.error());
  return chat;
}

Expected<std::string> ChatPrompt::render(std::string_view prompt) const {
  auto text = template_.render(conversation(format_, prompt, bos_, eos_));
  if (!text) return Error(text.error());
  const size_t at = text->rfind(kAnswer);
  if (at == std::string::npos)
    return Error("the chat template does not render the assistant's message, so the answer cannot start "
                 "with the prompt's code");
  text->resize(at);
  text->append(prompt);
  return std::move(*text);
}

Status apply_prompt_format(Tokenizer& tok, const PromptFormat& run, const std::string& source) {
  const PromptFormat& before = tok.prompt_format();
  if (before == run) return {};  // set, and tried, when the tokenizer got it
  if (before != PromptFormat{})
    std::fprintf(stderr, "warning: %s was trained with prompt_format %s%s; this run uses %s%s\n", source.c_str(),
                 before.kind.c_str(), before.chat_template.empty() ? "" : " and its own chat_template",
                 run.kind.c_str(), run.chat_template.empty() ? "" : " and model.chat_template");
  return tok.set_prompt_format(run);
}

}  // namespace stepcoder::model
