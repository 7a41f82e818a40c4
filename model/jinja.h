// Jinja2 templates as Hugging Face chat templates use them: `chat_template` of a
// tokenizer_config.json renders here as Python transformers renders it (Jinja2 3.x in an
// ImmutableSandboxedEnvironment with trim_blocks, lstrip_blocks and loop controls, its own
// `tojson`, and the globals `raise_exception` and `strftime_now`).
//
//   auto tpl = jinja::Template::parse(config["chat_template"].get<std::string>(),
//                                     "tokenizer_config.json");
//   if (!tpl) return Error(tpl.error());
//   auto text = tpl->render({{"messages", messages}, {"add_generation_prompt", true}});
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "util/expected.h"

namespace stepcoder::model::jinja {

class Program;  // parsed template (internal)

class Template {
 public:
  // Parses a template. `origin` names it in errors: "<origin> line 12: unexpected 'endfor'".
  static Expected<Template> parse(std::string_view source, const std::string& origin);

  // Renders with the variables of a JSON object (messages, add_generation_prompt, bos_token,
  // eos_token, tools, enable_thinking, ...). Errors (raise_exception, a type error, a limit)
  // come back as "<origin> line L: message". Thread-safe: the template is immutable.
  Expected<std::string> render(const nlohmann::ordered_json& vars) const;

 private:
  std::shared_ptr<const Program> program_;
  std::string origin_;
};

}  // namespace stepcoder::model::jinja
