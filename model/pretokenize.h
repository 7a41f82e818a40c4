// Code-aware pre-tokenization: splits text into the pieces a small model learns best from
// (words with their leading space, single digits, C++ operators, newline+indentation, runs of
// spaces, identifiers split at '_'). SentencePiece then only segments the words, so its
// vocabulary becomes word-level and never spans an operator or a line break.
//
//   PretokOptions o;                       // split at '_', indentation up to 24 spaces
//   for (const Segment& s : pretokenize("  x_y += 10;\n", o)) ...
//   // "<sp:2>" "x" "<_>" "y" "<op:▁+=>" "<d:▁1>" "<d:0>" "<op:;>" "<nl:0>"
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stepcoder::model {

struct PretokOptions {
  bool split_underscore = true;  // "max_value" -> "max" "_" "value"
  int max_indent = 24;           // longest run of spaces that is one symbol
};

struct Segment {
  enum class Kind {
    Fixed,  // a symbol of the fixed table; `symbol` is its piece name
    Word,   // letters (optionally with one leading space), segmented by SentencePiece
    Byte,   // one byte with no symbol (tabs, control characters, non-ASCII)
  };
  Kind kind = Kind::Word;
  size_t begin = 0, end = 0;  // byte range in the text
  std::string symbol;         // Fixed only
};

std::vector<Segment> pretokenize(std::string_view text, const PretokOptions& opts);

// Every fixed symbol the pre-tokenizer can emit under `opts`, as (piece name, text) pairs.
// The names are stored as control symbols in the SentencePiece model.
std::vector<std::pair<std::string, std::string>> fixed_symbols(const PretokOptions& opts);

// The piece that marks a model as using this pre-tokenizer, and the one that says identifiers
// are split at '_'.
constexpr const char* kPretokMarker = "<pretok:v1>";
constexpr const char* kUnderscoreSymbol = "<_>";

}  // namespace stepcoder::model
