// The tokenizer: SentencePiece with byte fallback behind the code-aware pre-tokenizer of
// pretokenize.h, so any program round-trips exactly. Encoding returns each token's byte range
// in the text, which coverage masks and error-line penalties map back to tokens.
//
//   TokenizerTrainOptions opts;  opts.vocab_size = 1024;
//   auto tok = Tokenizer::train(texts, opts);          // deterministic for a seed
//   if (!tok) die(tok.error());
//   Encoding e = tok->encode("int f() {\n    return 1;\n}");
//   // e.ids[i] covers bytes [e.spans[i].begin, e.spans[i].end) of the text
//   std::string back = tok->decode(e.ids);             // == the text
//   Status st = tok->save("tok.model");               // a plain SentencePiece model file
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/pretokenize.h"
#include "util/expected.h"

namespace stepcoder::model {

class SpmBridge;

struct TokenSpan {
  int begin = 0, end = 0;  // bytes [begin, end) of the text
};

struct Encoding {
  std::vector<int> ids;
  std::vector<TokenSpan> spans;  // one per id
};

struct TokenizerTrainOptions {
  int vocab_size = 1024;     // includes 256 byte pieces and the fixed symbols
  bool split_underscore = true;
  int max_indent = 24;
  uint64_t seed = 0;
  std::string model_type = "bpe";  // "bpe" or "unigram"
};

class Tokenizer {
 public:
  static Expected<Tokenizer> train(const std::vector<std::string>& texts,
                                   const TokenizerTrainOptions& opts);
  static Expected<Tokenizer> load(const std::string& path);
  // `origin` names the source in errors ("checkpoint run/last.pt").
  static Expected<Tokenizer> from_serialized(const std::string& bytes, const std::string& origin);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  Tokenizer(const Tokenizer& o);
  ~Tokenizer();

  Status save(const std::string& path) const;
  const std::string& serialized() const { return serialized_; }

  Encoding encode(std::string_view text) const;
  std::vector<int> encode_ids(std::string_view text) const { return encode(text).ids; }
  std::string decode(const std::vector<int>& ids) const;
  // The exact bytes one token decodes to ("" for control tokens such as EOS).
  const std::string& token_text(int id) const;
  std::string piece(int id) const;  // SentencePiece's name of the token

  int vocab_size() const { return static_cast<int>(texts_.size()); }
  int bos_id() const { return bos_; }
  int eos_id() const { return eos_; }
  int pad_id() const { return pad_; }
  // False for a plain SentencePiece model (e.g. a Llama tokenizer.model): whole-text encoding.
  bool code_pretokenized() const { return pretok_; }
  const PretokOptions& pretok_options() const { return opts_; }

 private:
  Tokenizer();
  Status open_bridge();
  Status init(const std::string& bytes, const std::string& origin);
  void encode_word(std::string_view text, size_t offset, Encoding& out) const;
  Encoding encode_plain(std::string_view text) const;

  std::string serialized_;
  std::unique_ptr<SpmBridge> sp_;
  std::vector<std::string> texts_;       // decoded bytes of each id
  std::unordered_map<std::string, int> fixed_;  // fixed symbol name -> id
  int byte_ids_[256] = {};
  int bos_ = -1, eos_ = -1, pad_ = -1;
  bool pretok_ = false;
  PretokOptions opts_;
};

}  // namespace stepcoder::model
