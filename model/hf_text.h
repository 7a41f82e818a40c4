// The text stages of a Hugging Face `tokenizer.json` before its model runs: the normalizer
// (NFC, through ICU, with a map back to the original bytes) and the pre-tokenizers (`Split`
// with the model's regex, `ByteLevel`, `Digits`, `Sequence`), which cut a text into pieces
// that BPE then encodes one by one. Patterns are written for Oniguruma, the Rust library's
// regex engine; they run here on PCRE2 (JIT), after the rewrites that make the two agree:
// `\s` is Unicode White_Space, and `(?i:...)` of ASCII letters folds ASCII only.
//
//   auto pre = PreTokenizer::parse(json["pre_tokenizer"], "tokenizer.json");
//   std::vector<Piece> pieces = pre->split(text);   // byte ranges of `text`, in order
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "util/expected.h"

namespace stepcoder::model {

// j[key], or null when j is no object or lacks the key (never a copy).
const nlohmann::json& json_field(const nlohmann::json& j, const char* key);

// A regex as a tokenizer.json gives it, compiled once; match() is safe from several threads.
class HfRegex {
 public:
  static Expected<std::shared_ptr<HfRegex>> compile(const std::string& oniguruma_pattern);
  ~HfRegex();
  // The matches of the pattern in text[begin, end), left to right, as byte ranges; empty
  // matches are skipped.
  void find_all(std::string_view text, size_t begin, size_t end,
                std::vector<std::pair<size_t, size_t>>& out) const;

 private:
  HfRegex() = default;
  void* code_ = nullptr;  // pcre2_code_8
};

// Oniguruma syntax to PCRE2 syntax, as described above (exposed for tests).
std::string oniguruma_to_pcre2(const std::string& pattern);

struct Piece {
  size_t begin = 0, end = 0;  // bytes of the (normalized) text
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // `origin` names the file in errors. A null JSON value gives the identity.
  static Expected<std::unique_ptr<PreTokenizer>> parse(const nlohmann::json& j, const std::string& origin);
  // Cuts every piece of `in` into finer ones.
  virtual void split(std::string_view text, const std::vector<Piece>& in, std::vector<Piece>& out) const = 0;
  std::vector<Piece> split(std::string_view text) const;
};

// The normalizer: nothing, or NFC (alone or in a Sequence). Positions of the normalized text
// map back to the original's through `orig`: normalized byte i came from original byte orig[i]
// (orig has one more entry, for the end).
struct Normalized {
  std::string text;
  std::vector<size_t> orig;  // empty: the text is unchanged
  size_t to_original(size_t i) const { return orig.empty() ? i : orig[i]; }
};

class Normalizer {
 public:
  static Expected<Normalizer> parse(const nlohmann::json& j, const std::string& origin);
  bool identity() const { return !nfc_; }
  Normalized apply(std::string_view text) const;
  std::string apply_text(std::string_view text) const { return apply(text).text; }

 private:
  bool nfc_ = false;
};

}  // namespace stepcoder::model
