// `stepcoder tokenizer train CORPUS... -o tok.model --vocab N` learns the code-aware
// SentencePiece vocabulary; `stepcoder tokenizer encode MODEL TEXT` shows how text splits.
// CORPUS: problem files (JSONL, HumanEval-X, MBXP, APPS; prompt + reference) or plain text.
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "model/tokenizer.h"
#include "tasks/problem_io.h"
#include "util/files.h"

namespace stepcoder::app {
namespace {

struct TokenizerArgs {
  std::vector<std::string> corpus;
  std::string out = "tok.model", model, text, file;
  int vocab = 1024;
  int64_t seed = 0;
  bool keep_snake_case = false, json = false;
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

void encode_verb(const TokenizerArgs& a) {
  auto tok = model::Tokenizer::load(a.model);
  if (!tok) return fail(tok.error());
  std::string text = a.text;
  if (!a.file.empty()) {
    auto t = read_file(a.file);
    if (!t) return fail(t.error());
    text = *t;
  }
  model::Encoding e = tok->encode(text);
  Json pieces = Json::array();
  for (size_t i = 0; i < e.ids.size(); ++i)
    pieces.push_back({{"id", e.ids[i]}, {"text", tok->token_text(e.ids[i])}, {"begin", e.spans[i].begin},
                      {"end", e.spans[i].end}});
  if (a.json) return (void)std::printf("%s\n", Json({{"tokens", pieces}}).dump().c_str());
  for (const auto& p : pieces) std::printf("%s|", Json(p["text"]).dump().c_str());
  std::printf("\n%zu tokens for %zu bytes\n", e.ids.size(), text.size());
}

STEPCODER_VERB(30, [](CLI::App& app) {
  auto a = std::make_shared<TokenizerArgs>();
  CLI::App* cmd = app.add_subcommand("tokenizer", "Train or inspect the code-aware SentencePiece tokenizer");
  cmd->require_subcommand(1);
  CLI::App* train = cmd->add_subcommand("train", "Learn a vocabulary from problem files or text");
  train->add_option("corpus", a->corpus, "problem files (.jsonl[.gz]: prompt + reference) or text files")->required();
  train->add_option("-o,--output", a->out, "where to write the SentencePiece model")->capture_default_str();
  train->add_option("--vocab", a->vocab, "vocabulary size (includes 256 bytes and ~180 fixed symbols)")->capture_default_str();
  train->add_option("--seed", a->seed, "training seed")->capture_default_str();
  train->add_flag("--keep-snake-case", a->keep_snake_case, "do not split identifiers at '_' (learns worse)");
  train->add_flag("--json", a->json, "print one JSON object");
  train->callback([a] { train_verb(*a); });
  CLI::App* enc = cmd->add_subcommand("encode", "Show the tokens of a text");
  enc->add_option("model", a->model, "SentencePiece model")->required();
  enc->add_option("text", a->text, "text to encode");
  enc->add_option("--file", a->file, "encode this file instead");
  enc->add_flag("--json", a->json, "print one JSON object with ids, texts and byte offsets");
  enc->callback([a] { encode_verb(*a); });
});

}  // namespace
}  // namespace stepcoder::app
