// `stepcoder tokenizer train CORPUS... -o tok.model --vocab N` learns the code-aware
// SentencePiece vocabulary; `stepcoder tokenizer encode --tokenizer PATH [FILE...]` shows how
// text splits, or prints ids as JSON (PATH: that model, a tokenizer.json, an HF directory).
// CORPUS: problem files (JSONL, HumanEval-X, MBXP, APPS; prompt + reference) or plain text.
#include <chrono>
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
  std::string out = "tok.model", model, text, list;
  std::vector<std::string> files;
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
  if (!a.no_special) ids = tok.prefix_ids();
  ids.insert(ids.end(), e.ids.begin(), e.ids.end());
  if (!a.no_special) ids.insert(ids.end(), tok.suffix_ids().begin(), tok.suffix_ids().end());
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

STEPCODER_VERB(30, [](CLI::App& app) {
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
  enc->callback([a] { encode_verb(*a); });
});

}  // namespace
}  // namespace stepcoder::app
