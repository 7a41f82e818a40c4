// The tokenizer, behind one interface: either the code-aware SentencePiece model that the
// from-scratch policy learns (SentencePiece with byte fallback behind the pre-tokenizer of
// pretokenize.h), or a Hugging Face `tokenizer.json` (hf_tokenizer.h) that a pretrained model
// ships. Any program round-trips exactly. Encoding returns each token's byte range in the
// text, which coverage masks and error-line penalties map back to tokens.
//
//   TokenizerTrainOptions opts;  opts.vocab_size = 1024;
//   auto tok = Tokenizer::train(texts, opts);          // deterministic for a seed
//   auto hf = Tokenizer::load("Qwen3-0.6B/");          // tokenizer.json + tokenizer_config.json
//   if (!tok) die(tok.error());
//   Encoding e = tok->encode("int f() {\n    return 1;\n}");
//   // e.ids[i] covers bytes [e.spans[i].begin, e.spans[i].end) of the text
//   std::string back = tok->decode(e.ids);             // == the text
//   Status st = tok->save("tok.model");               // SentencePiece: a plain model file
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/config.h"
#include "model/encoding.h"
#include "model/pretokenize.h"
#include "util/expected.h"

namespace stepcoder::model {

class SpmBridge;
class HfTokenizer;
class ChatPrompt;


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
  // A SentencePiece model file, a tokenizer.json (its tokenizer_config.json beside it is read
  // too), or a Hugging Face model directory holding them.
  static Expected<Tokenizer> load(const std::string& path);
  // `origin` names the source in errors ("checkpoint run/last.pt").
  static Expected<Tokenizer> from_serialized(const std::string& bytes, const std::string& origin);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  Tokenizer(const Tokenizer& o);
  ~Tokenizer();

  Status save(const std::string& path) const;
  // Into a model directory: tokenizer.json and tokenizer_config.json (Hugging Face), or
  // tokenizer.model (SentencePiece).
  Status save_files(const std::string& dir) const;
  const std::string& serialized() const { return serialized_; }

  Encoding encode(std::string_view text) const;
  std::vector<int> encode_ids(std::string_view text) const { return encode(text).ids; }
  // The policy's input for a problem's prompt. Plain format: prefix_ids() (the post-processor's
  // BOS, where it has one), then the text. Chat: the rendered conversation (chat_prompt.h),
  // whose template writes any BOS itself. Fails only where a chat template raises.
  Expected<std::vector<int>> encode_prompt(std::string_view text) const;
  Expected<std::vector<std::vector<int>>> encode_prompts(const std::vector<std::string>& texts) const;
  // How encode_prompt() shapes prompts; a chat template is parsed and tried here. Checkpoints
  // keep it with the tokenizer.
  Status set_prompt_format(const PromptFormat& format);
  const PromptFormat& prompt_format() const { return format_; }
  std::string decode(const std::vector<int>& ids) const;
  // The exact bytes one token decodes to ("" for control tokens such as EOS).
  const std::string& token_text(int id) const;
  std::string piece(int id) const;  // SentencePiece's name of the token

  int vocab_size() const;
  int bos_id() const { return bos_; }
  int eos_id() const { return eos_; }
  int pad_id() const { return pad_; }
  // False for a plain SentencePiece model (e.g. a Llama tokenizer.model): whole-text encoding.
  bool code_pretokenized() const { return pretok_; }
  const PretokOptions& pretok_options() const { return opts_; }

  // A Hugging Face tokenizer.json; then the following come from it and its config.
  bool hugging_face() const { return hf_ != nullptr; }
  // The special tokens the post-processor puts before and after a text (Llama 3.1's BOS).
  const std::vector<int>& prefix_ids() const;
  const std::vector<int>& suffix_ids() const;
  // tokenizer_config.json's chat template ("" when none).
  const std::string& chat_template() const;

 private:
  Tokenizer();
  Status open_bridge();
  Status init(const std::string& bytes, const std::string& origin);
  void encode_word(std::string_view text, size_t offset, Encoding& out) const;
  Encoding encode_plain(std::string_view text) const;

  std::string serialized_;
  Status init_hf(const std::string& json, const std::string& config, const std::string& origin);

  std::unique_ptr<SpmBridge> sp_;
  std::shared_ptr<const HfTokenizer> hf_;  // immutable and thread-safe: copies share it
  std::vector<std::string> texts_;       // decoded bytes of each id
  std::unordered_map<std::string, int> fixed_;  // fixed symbol name -> id
  int byte_ids_[256] = {};
  int bos_ = -1, eos_ = -1, pad_ = -1;
  PromptFormat format_;
  std::shared_ptr<const ChatPrompt> chat_;  // with the chat format
  bool pretok_ = false;
  PretokOptions opts_;
};

}  // namespace stepcoder::model
