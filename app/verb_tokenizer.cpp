// `stepcoder tokenizer train CORPUS... -o tok.model --vocab N` learns the code-aware
// SentencePiece vocabulary; `stepcoder tokenizer encode --tokenizer PATH [FILE...]` shows how
// text splits, or prints ids as JSON (PATH: that model, a tokenizer.json, an HF directory).
// CORPUS: problem files (JSONL, HumanEval-X, MBXP, APPS; prompt + reference) or plain text.
// `stepcoder tokenizer render --tokenizer PATH VARS.jsonl` renders a chat template.
#include <chrono>
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "model/jinja.h"
#include "model/tokenizer.h"
#include "tasks/problem_io.h"
#include "util/files.h"

namespace stepcoder::app {
namespace {

struct TokenizerArgs {
  std::vector<std::string> corpus;
  std::string out = "tok.model", model, text, list, template_file;
  std::vector<std::string> files;
  model::PromptFormat format;
  int vocab = 1024;
  int64_t seed = 0;
  bool keep_snake_case = false, json = false, spans = false, no_special = false, stats = false;
};

bool is_problem_file(const std::string& p) {
  auto ends = [&](const std::string& s) { return p.size() >= s.size() && p.compare(p.size() - s.size(), s.size(), s) == 0; };
  return ends(".jsonl") || ends(".jsonl.gz") || ends(".json");
}

Expected<std::vector<std::string>> read_corpus(const std::vector<std::string>& paths) {
  std::vector<std::string> texts;
  for (const std::string& path : paths) {
    if (is_problem_file(path)) {
      auto set = tasks::load_problems(path);
      if (!set) return Error(set.error());
      for (const auto& p : set->problems) texts.push_back(p.prompt + p.canonical_solution);
    } else {
      auto text = read_maybe_gz(path);
      if (!text) return Error(text.error());
      texts.push_back(*text);
    }
  }
  return texts;
}

void train_verb(const TokenizerArgs& a) {
  auto texts = read_corpus(a.corpus);
  if (!texts) return fail("tokenizer train: " + texts.error());
  model::TokenizerTrainOptions o;
  o.vocab_size = a.vocab, o.seed = static_cast<uint64_t>(a.seed), o.split_underscore = !a.keep_snake_case;
  auto tok = model::Tokenizer::train(*texts, o);
  if (!tok) return fail(tok.error());
  if (Status st = tok->save(a.out); !st) return fail(st.error());
  int64_t bytes = 0, tokens = 0;
  for (const std::string& t : *texts) bytes += static_cast<int64_t>(t.size()), tokens += tok->encode(t).ids.size();
  const double per_text = texts->empty() ? 0 : static_cast<double>(tokens) / texts->size();
  if (a.json) {
    Json j = {{"model", a.out}, {"vocab", tok->vocab_size()}, {"texts", texts->size()},
              {"tokens_per_text", per_text}, {"bytes_per_token", bytes / std::max<double>(1, tokens)}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("wrote %s: %d tokens; %zu texts, %.1f tokens each, %.2f bytes per token\n", a.out.c_str(),
                tok->vocab_size(), texts->size(), per_text, bytes / std::max<double>(1, tokens));
  }
}

// One file's encoding as `tokenizer encode --json` prints it: ids (with the post-processor's
// special tokens unless --no-special), optionally spans, and whether decoding gives the file back.
Json encoding_json(const model::Tokenizer& tok, const std::string& name, const std::string& text,
                   const TokenizerArgs& a, double& seconds, int64_t& tokens) {
  auto t0 = std::chrono::steady_clock::now();
  model::Encoding e = tok.encode(text);
  seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  tokens += static_cast<int64_t>(e.ids.size());
  std::vector<int> ids;
  if (tok.prompt_format().chat()) {  // the policy's input for this prompt
    auto prompt = tok.encode_prompt(text);
    if (!prompt) return {{"file", name}, {"error", prompt.error()}};
    ids = std::move(*prompt);
  } else {
    if (!a.no_special) ids = tok.prefix_ids();
    ids.insert(ids.end(), e.ids.begin(), e.ids.end());
    if (!a.no_special) ids.insert(ids.end(), tok.suffix_ids().begin(), tok.suffix_ids().end());
  }
  Json j = {{"file", name}, {"ids", ids}, {"exact", tok.decode(e.ids) == text}};
  if (a.spans) {
    Json spans = Json::array();
    for (const auto& s : e.spans) spans.push_back({s.begin, s.end});
    j["spans"] = spans;  // of the text's own tokens, without the special ones
  }
  return j;
}

void print_pieces(const model::Tokenizer& tok, const std::string& text) {
  model::Encoding e = tok.encode(text);
  // A token may hold part of a character: shown as U+FFFD.
  for (int id : e.ids) std::printf("%s|", Json(tok.token_text(id)).dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
  std::printf("\n%zu tokens for %zu bytes\n", e.ids.size(), text.size());
}

void encode_verb(TokenizerArgs a) {
  if (a.model.empty()) return fail("tokenizer encode: give the tokenizer with --tokenizer PATH");
  auto tok = model::Tokenizer::load(a.model);
  if (!tok) return fail(tok.error());
  if (!a.template_file.empty()) {
    auto text = read_file(a.template_file);
    if (!text) return fail("tokenizer encode: " + text.error());
    a.format.chat_template = std::move(*text);
  }
  if (Status st = tok->set_prompt_format(a.format); !st) return fail("tokenizer encode: " + st.error());
  if (!a.list.empty()) {
    auto listed = read_file(a.list);
    if (!listed) return fail("tokenizer encode: " + listed.error());
    for (size_t at = 0; at < listed->size();) {
      size_t nl = std::min(listed->find('\n', at), listed->size());
      if (nl > at) a.files.push_back(listed->substr(at, nl - at));
      at = nl + 1;
    }
  }
  if (a.files.empty() && a.text.empty()) return fail("tokenizer encode: give FILE..., --list FILE or --text TEXT");
  double seconds = 0;
  int64_t tokens = 0, bytes = 0;
  auto one = [&](const std::string& name, const std::string& text) {
    bytes += static_cast<int64_t>(text.size());
    if (a.json) {
      Json j = encoding_json(*tok, name, text, a, seconds, tokens);
      std::printf("%s\n", j.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
    }
    else print_pieces(*tok, text);
  };
  if (!a.text.empty()) one("", a.text);
  for (const std::string& f : a.files) {
    auto text = read_file(f);
    if (!text) return fail("tokenizer encode: " + text.error());
    one(f, *text);
  }
  if (a.stats)
    std::fprintf(stderr, "encoded %lld bytes into %lld tokens in %.3f s (%.2f MB/s)\n",
                 static_cast<long long>(bytes), static_cast<long long>(tokens), seconds,
                 seconds > 0 ? bytes / seconds / 1e6 : 0.0);
}

// The template's variables as transformers passes them: the special tokens the tokenizer
// has, under the names a template reads, unless the line gives its own.
void add_special_tokens(const model::Tokenizer& tok, nlohmann::ordered_json& vars) {
  auto add = [&](const char* name, int id) {
    if (id >= 0 && !vars.contains(name)) vars[name] = tok.piece(id);
  };
  add("bos_token", tok.bos_id()), add("eos_token", tok.eos_id()), add("pad_token", tok.pad_id());
}

void render_verb(const TokenizerArgs& a) {
  auto tok = model::Tokenizer::load(a.model);
  if (!tok) return fail(tok.error());
  std::string source = tok->chat_template(), origin = a.model + ": chat_template";
  if (!a.template_file.empty()) {
    auto text = read_file(a.template_file);
    if (!text) return fail("tokenizer render: " + text.error());
    source = std::move(*text), origin = a.template_file;
  }
  if (source.empty()) return fail("tokenizer render: " + a.model + " has no chat template (HINT: give --template FILE)");
  auto t = model::jinja::Template::parse(source, origin);
  if (!t) return fail("tokenizer render: " + t.error());
  int failed = 0;
  for (const std::string& file : a.files) {
    auto text = read_file(file);
    if (!text) return fail("tokenizer render: " + text.error());
    int line = 0;
    for (size_t at = 0; at < text->size(); at = std::min(text->find('\n', at), text->size()) + 1) {
      ++line;
      const std::string row = text->substr(at, std::min(text->find('\n', at), text->size()) - at);
      if (row.find_first_not_of(" \t\r") == std::string::npos) continue;
      const std::string where = file + ":" + std::to_string(line);
      auto vars = nlohmann::ordered_json::parse(row, nullptr, /*allow_exceptions=*/false);
      if (!vars.is_object()) return fail("tokenizer render: " + where + ": not a JSON object of template variables");
      add_special_tokens(*tok, vars);
      auto out = t->render(vars);
      if (a.json) {
        Json j = out ? Json{{"text", *out}} : Json{{"error", out.error()}};
        std::printf("%s\n", j.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
      } else if (out) {
        std::fwrite(out->data(), 1, out->size(), stdout);
      } else {
        std::fprintf(stderr, "%s: %s\n", where.c_str(), out.error().c_str());
      }
      failed += !out;
    }
  }
  if (failed && !a.json) fail("tokenizer render: " + std::to_string(failed) + " conversation(s) did not render", 1);
}

}  // namespace

void add_tokenizer_verb(CLI::App& app) {
  auto a = std::make_shared<TokenizerArgs>();
  CLI::App* cmd = app.add_subcommand("tokenizer", "Train the code-aware SentencePiece tokenizer, or inspect any tokenizer");
  cmd->require_subcommand(1);
  CLI::App* train = cmd->add_subcommand("train", "Learn a vocabulary from problem files or text");
  train->add_option("corpus", a->corpus, "problem files (.jsonl[.gz]: prompt + reference) or text files")->required();
  train->add_option("-o,--output", a->out, "where to write the SentencePiece model")->capture_default_str();
  train->add_option("--vocab", a->vocab, "vocabulary size (includes 256 bytes and ~180 fixed symbols)")->capture_default_str();
  train->add_option("--seed", a->seed, "training seed")->capture_default_str();
  train->add_flag("--keep-snake-case", a->keep_snake_case, "do not split identifiers at '_' (learns worse)");
  train->add_flag("--json", a->json, "print one JSON object");
  train->callback([a] { train_verb(*a); });
  CLI::App* enc = cmd->add_subcommand("encode", "Show the tokens of a text, or print the ids of files as JSON");
  enc->add_option("--tokenizer", a->model,
                  "a SentencePiece model, a tokenizer.json or a Hugging Face model directory")->required();
  enc->add_option("files", a->files, "files to encode, each as one text");
  enc->add_option("--list", a->list, "a file naming more files to encode, one path a line");
  enc->add_option("--text", a->text, "encode this text");
  enc->add_flag("--json", a->json, "one JSON object a line per file: {\"file\", \"ids\", \"exact\"}");
  enc->add_flag("--spans", a->spans, "with --json: each token's byte range of the text");
  enc->add_flag("--no-special", a->no_special, "without the special tokens the post-processor adds (BOS)");
  enc->add_flag("--stats", a->stats, "print bytes, tokens and the encoding time to stderr");
  enc->add_option("--prompt-format", a->format.kind,
                  "chat: each file is a problem's prompt, encoded as the policy reads it (model.prompt_format)")
      ->capture_default_str()->check(CLI::IsMember({"plain", "chat"}));
  enc->add_option("--system", a->format.system_prompt, "with --prompt-format chat: a system message");
  enc->add_option("--template", a->template_file, "with --prompt-format chat: a Jinja template file instead of the tokenizer's");
  enc->callback([a] { encode_verb(*a); });
  CLI::App* ren = cmd->add_subcommand("render", "Render a chat template with the variables of each line of JSONL files");
  ren->add_option("--tokenizer", a->model, "a tokenizer.json or Hugging Face model directory (its chat_template)")->required();
  ren->add_option("--template", a->template_file, "a Jinja template file instead of the tokenizer's");
  ren->add_option("files", a->files, "JSONL files: one object of variables a line (messages, add_generation_prompt, tools, ...)")
      ->required();
  ren->add_flag("--json", a->json, "one JSON object a line: {\"text\"} or {\"error\"}");
  ren->callback([a] { render_verb(*a); });
}

}  // namespace stepcoder::app
