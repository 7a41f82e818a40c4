// A problem's prompt through an instruct model's chat template (model.prompt_format: chat).
// The problem is the user's message; the assistant's answer starts with the prompt's code,
// which the policy continues, since the judge runs prompt + completion. This is transformers'
// apply_chat_template(..., continue_final_message=True) with one deliberate difference: the
// rendered text ends with the prompt byte for byte, even where a template trims messages
// (Llama 3's `| trim`), so the policy reads exactly the code it is completing.
//
//   PromptFormat f;  f.kind = "chat";  f.system_prompt = "Complete the C++ function.";
//   auto chat = ChatPrompt::make(f, tok.chat_template(), "<|begin_of_text|>", "<|eot_id|>");
//   if (!chat) die(chat.error());     // no template, a syntax error, raise_exception, ...
//   auto text = chat->render("int add(int a, int b) {\n");
//   // "<|im_start|>user\nint add(...) {\n<|im_end|>\n<|im_start|>assistant\n...int add(int a, int b) {\n"
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/config.h"
#include "model/jinja.h"
#include "model/tokenizer.h"
#include "util/expected.h"

namespace stepcoder::model {

class ChatPrompt {
 public:
  // `tokenizer_template` is used where the format names none. The template is tried once here, so a template that cannot render the answer's
  // start fails now rather than in the middle of a run.
  static Expected<ChatPrompt> make(const PromptFormat& format, const std::string& tokenizer_template,
                                   const std::string& bos_token, const std::string& eos_token);

  // The text the policy reads for this prompt.
  Expected<std::string> render(std::string_view prompt) const;

 private:
  ChatPrompt(jinja::Template t, PromptFormat f, std::string bos, std::string eos);
  jinja::Template template_;
  PromptFormat format_;
  std::string bos_, eos_;
};

// A run's model.prompt_format on the tokenizer of the model it starts from. Where a checkpoint
// was trained with another format, a warning on stderr names both: the run's config wins.
Status apply_prompt_format(Tokenizer& tok, const PromptFormat& run, const std::string& source);

}  // namespace stepcoder::model
