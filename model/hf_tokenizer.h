// A Hugging Face `tokenizer.json` (byte-level BPE: Llama 3, Qwen2 and Qwen3, DeepSeek) with
// its `tokenizer_config.json`, encoding exactly as the reference implementation does:
// added and special tokens are matched first (longest at each position, those not normalized
// on the raw text, the others after the normalizer), the rest is normalized, pre-tokenized
// (hf_text.h) and merged by BPE rank. Every token keeps the bytes of the original text it
// covers. Decoding concatenates each token's exact bytes (added tokens as their content), with
// no clean-up of spaces, so code round-trips byte for byte.
//
//   auto t = HfTokenizer::parse(json_text, config_text, "qwen3/tokenizer.json");
//   Encoding e;  (*t)->encode("int x = 1;", e);      // no BOS: see prefix()
//   std::vector<int> ids = (*t)->prefix();           // what the post-processor puts first
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/encoding.h"
#include "model/hf_text.h"
#include "util/expected.h"

namespace stepcoder::model {

struct HfAddedToken {
  std::string content;
  int id = -1;
  bool special = false, normalized = false, lstrip = false, rstrip = false;
};

class HfTokenizer {
 public:
  // `config_json` may be empty (no tokenizer_config.json). `origin` names the file in errors.
  static Expected<std::unique_ptr<HfTokenizer>> parse(const std::string& tokenizer_json,
                                                      const std::string& config_json,
                                                      const std::string& origin);
  ~HfTokenizer();

  void encode(std::string_view text, Encoding& out) const;
  std::string decode(const std::vector<int>& ids) const;
  // The exact bytes of a token (an added token's content); "" for an id out of range.
  const std::string& token_text(int id) const;
  // The vocabulary's name of the token (byte-level characters, as in tokenizer.json).
  const std::string& piece(int id) const;
  int token_id(const std::string& piece) const;  // -1 when absent
  bool is_special(int id) const;

  int vocab_size() const { return static_cast<int>(text_.size()); }
  // The single-sequence template of the post-processor: special tokens before and after the
  // text (Llama 3.1's BOS), empty without one.
  const std::vector<int>& prefix() const { return prefix_; }
  const std::vector<int>& suffix() const { return suffix_; }
  int bos_id() const { return bos_; }
  int eos_id() const { return eos_; }
  int pad_id() const { return pad_; }
  const std::string& chat_template() const { return chat_template_; }

 private:
  struct Trie;
  struct Merge {
    int rank, id;
  };
  HfTokenizer();
  Status parse_model(const void* json, const std::string& origin);
  Status parse_added(const void* json, const std::string& origin);
  Status parse_post(const void* json, const std::string& origin);
  Status parse_config(const std::string& config, const std::string& origin);
  void encode_normalized(const Normalized& n, size_t offset, Encoding& out) const;
  void bpe(std::string_view piece, std::vector<int>& ids) const;
  void merge_word(std::vector<int>& word) const;

  std::vector<std::string> text_;   // id -> exact bytes
  std::vector<std::string> piece_;  // id -> vocabulary string
  std::unordered_map<std::string, int> vocab_;  // vocabulary string -> id (added tokens too)
  std::unordered_map<uint64_t, Merge> merges_;  // (left id, right id) -> rank, merged id
  int byte_id_[256] = {};           // each byte's single-character token
  std::vector<HfAddedToken> added_;
  std::vector<bool> special_;
  std::unique_ptr<Trie> raw_, normalized_;  // added tokens matched before / after normalizing
  Normalizer normalizer_;
  std::unique_ptr<PreTokenizer> pre_;
  bool ignore_merges_ = false;
  int unk_ = -1;
  std::vector<int> prefix_, suffix_;
  int bos_ = -1, eos_ = -1, pad_ = -1;
  std::string chat_template_;

  mutable std::mutex cache_mu_;  // piece -> ids, for pieces seen before
  mutable std::unordered_map<std::string, std::vector<int>> cache_;
};

}  // namespace stepcoder::model
