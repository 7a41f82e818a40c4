// Normalizers and pre-tokenizers of tokenizer.json: see hf_text.h. The split behaviours follow
// the Rust library's `SplitDelimiterBehavior`.
#include "model/hf_text.h"

#include <algorithm>
#include <cctype>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>

#include <nlohmann/json.hpp>

namespace stepcoder::model {

namespace {

using Json = nlohmann::json;

pcre2_code* as_code(void* p) { return static_cast<pcre2_code*>(p); }

// Bytes of the UTF-8 character that starts at text[i] (1 for a byte that starts none).
size_t char_len(std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  return std::min(n, text.size() - i);
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// "(?i:'s|'t)" -> "(?:'[sS]|'[tT])" when the group holds only ASCII letters, quotes and bars:
// Oniguruma's folding of such a group and ASCII folding agree, and PCRE2's Unicode folding
// would also match "'ſ" (U+017F folds to s).
bool fold_ascii_group(const std::string& p, size_t at, std::string& out, size_t& next) {
  size_t close = p.find(')', at + 4);
  if (close == std::string::npos) return false;
  std::string body = p.substr(at + 4, close - at - 4);
  for (char c : body)
    if (!is_ascii_letter(c) && c != '\'' && c != '|') return false;
  out += "(?:";
  for (char c : body) {
    if (!is_ascii_letter(c)) {
      out += c;
      continue;
    }
    char lower = static_cast<char>(c | 0x20), upper = static_cast<char>(c & ~0x20);
    out += '[', out += lower, out += upper, out += ']';
  }
  out += ')';
  next = close + 1;
  return true;
}

}  // namespace

const Json& json_field(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string oniguruma_to_pcre2(const std::string& p) {
  std::string out;
  for (size_t i = 0; i < p.size();) {
    if (p.compare(i, 4, "(?i:") == 0) {
      size_t next = 0;
      if (fold_ascii_group(p, i, out, next)) {
        i = next;
        continue;
      }
    }
    if (p[i] == '\\' && i + 1 < p.size()) {
      char e = p[i + 1];
      if (e == 's') out += "\\p{White_Space}";
      else if (e == 'S') out += "\\P{White_Space}";
      else out += p.substr(i, 2);
      i += 2;
      continue;
    }
    out += p[i++];
  }
  return out;
}

// ---- HfRegex ----

Expected<std::shared_ptr<HfRegex>> HfRegex::compile(const std::string& pattern) {
  std::string translated = oniguruma_to_pcre2(pattern);
  int err = 0;
  PCRE2_SIZE at = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                                   PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &err, &at, nullptr);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    return Error("regex " + Json(pattern).dump() + ": " + reinterpret_cast<const char*>(msg) +
                 " at offset " + std::to_string(at));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // without JIT it still matches, slower
  std::shared_ptr<HfRegex> r(new HfRegex());
  r->code_ = code;
  return r;
}

HfRegex::~HfRegex() {
  if (code_) pcre2_code_free(as_code(code_));
}

void HfRegex::find_all(std::string_view text, size_t begin, size_t end,
                       std::vector<std::pair<size_t, size_t>>& out) const {
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(as_code(code_), nullptr);
  auto subject = reinterpret_cast<PCRE2_SPTR>(text.data() + begin);
  const size_t n = end - begin;
  for (size_t at = 0; at <= n;) {
    int rc = pcre2_match(as_code(code_), subject, n, at, 0, md, nullptr);
    if (rc < 0) break;
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    size_t s = ov[0], e = ov[1];
    if (e > s) {
      out.push_back({begin + s, begin + e});
      at = e;
    } else {
      if (e >= n) break;
      at = e + char_len(text.substr(begin, n), e);
    }
  }
  pcre2_match_data_free(md);
}

// ---- pre-tokenizers ----

std::vector<Piece> PreTokenizer::split(std::string_view text) const {
  std::vector<Piece> out;
  split(text, {{0, text.size()}}, out);
  return out;
}

namespace {

enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

struct Range {
  size_t begin, end;
  bool match;
};

// The ranges of the piece, matches and the gaps between them, in order.
std::vector<Range> ranges_of(const HfRegex& re, std::string_view text, Piece p, bool invert) {
  std::vector<std::pair<size_t, size_t>> m;
  re.find_all(text, p.begin, p.end, m);
  std::vector<Range> r;
  size_t at = p.begin;
  for (auto [s, e] : m) {
    if (s > at) r.push_back({at, s, invert});
    r.push_back({s, e, !invert});
    at = e;
  }
  if (at < p.end) r.push_back({at, p.end, invert});
  return r;
}

void apply_behavior(const std::vector<Range>& r, Behavior b, std::vector<Piece>& out) {
  std::vector<Range> acc;
  bool previous = false;
  if (b == Behavior::Removed || b == Behavior::Isolated) {
    for (const Range& x : r)
      if (!(b == Behavior::Removed && x.match)) acc.push_back(x);
  } else if (b == Behavior::MergedWithPrevious) {
    for (const Range& x : r) {
      if (x.match && !previous && !acc.empty()) acc.back().end = x.end;
      else acc.push_back(x);
      previous = x.match;
    }
  } else if (b == Behavior::MergedWithNext) {
    for (auto it = r.rbegin(); it != r.rend(); ++it) {
      if (it->match && !previous && !acc.empty()) acc.back().begin = it->begin;
      else acc.push_back(*it);
      previous = it->match;
    }
    std::reverse(acc.begin(), acc.end());
  } else {  // Contiguous
    for (const Range& x : r) {
      if (x.match == previous && !acc.empty()) acc.back().end = x.end;
      else acc.push_back(x);
      previous = x.match;
    }
  }
  for (const Range& x : acc)
    if (x.end > x.begin) out.push_back({x.begin, x.end});
}

class RegexSplit : public PreTokenizer {
 public:
  RegexSplit(std::shared_ptr<HfRegex> re, Behavior b, bool invert) : re_(std::move(re)), b_(b), invert_(invert) {}
  void split(std::string_view text, const std::vector<Piece>& in, std::vector<Piece>& out) const override {
    for (const Piece& p : in) apply_behavior(ranges_of(*re_, text, p, invert_), b_, out);
  }

 private:
  std::shared_ptr<HfRegex> re_;
  Behavior b_;
  bool invert_;
};

class SequenceSplit : public PreTokenizer {
 public:
  explicit SequenceSplit(std::vector<std::unique_ptr<PreTokenizer>> steps) : steps_(std::move(steps)) {}
  void split(std::string_view text, const std::vector<Piece>& in, std::vector<Piece>& out) const override {
    std::vector<Piece> cur = in, next;
    for (const auto& s : steps_) {
      next.clear();
      s->split(text, cur, next);
      cur.swap(next);
    }
    out.insert(out.end(), cur.begin(), cur.end());
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

class Identity : public PreTokenizer {
 public:
  void split(std::string_view, const std::vector<Piece>& in, std::vector<Piece>& out) const override {
    out.insert(out.end(), in.begin(), in.end());
  }
};

// GPT-2's pattern, which ByteLevel splits with when use_regex is on.
constexpr const char* kGpt2Pattern =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

Expected<Behavior> behavior_of(const Json& j, const std::string& where) {
  std::string b = j.value("behavior", "Isolated");
  if (b == "Removed") return Behavior::Removed;
  if (b == "Isolated") return Behavior::Isolated;
  if (b == "MergedWithPrevious") return Behavior::MergedWithPrevious;
  if (b == "MergedWithNext") return Behavior::MergedWithNext;
  if (b == "Contiguous") return Behavior::Contiguous;
  return Error(where + ": unknown split behavior \"" + b + "\"");
}

Expected<std::unique_ptr<PreTokenizer>> parse_split(const Json& j, const std::string& where) {
  auto b = behavior_of(j, where);
  if (!b) return Error(b.error());
  const Json& pat = json_field(j, "pattern");
  Expected<std::shared_ptr<HfRegex>> re = Error(where + ": Split has no pattern (Regex or String)");
  if (pat.contains("Regex") && pat["Regex"].is_string()) {
    re = HfRegex::compile(pat["Regex"].get<std::string>());
  } else if (pat.contains("String") && pat["String"].is_string()) {
    std::string lit;
    for (char c : pat["String"].get<std::string>()) {  // every character literal
      if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) lit += c;
      else lit += std::string("\\") + c;
    }
    re = HfRegex::compile(lit);
  }
  if (!re) return Error(where + ": " + re.error());
  return std::unique_ptr<PreTokenizer>(new RegexSplit(*re, *b, j.value("invert", false)));
}

Expected<std::unique_ptr<PreTokenizer>> parse_one(const Json& j, const std::string& where);

Expected<std::unique_ptr<PreTokenizer>> parse_sequence(const Json& j, const std::string& where) {
  std::vector<std::unique_ptr<PreTokenizer>> steps;
  const Json& list = json_field(j, "pretokenizers");
  for (size_t i = 0; i < list.size(); ++i) {
    auto s = parse_one(list[i], where + ".pretokenizers[" + std::to_string(i) + "]");
    if (!s) return Error(s.error());
    steps.push_back(std::move(*s));
  }
  return std::unique_ptr<PreTokenizer>(new SequenceSplit(std::move(steps)));
}

Expected<std::unique_ptr<PreTokenizer>> parse_one(const Json& j, const std::string& where) {
  if (j.is_null()) return std::unique_ptr<PreTokenizer>(new Identity());
  std::string type = j.is_object() ? j.value("type", "") : "";
  if (type == "Sequence") return parse_sequence(j, where);
  if (type == "Split") return parse_split(j, where);
  if (type == "ByteLevel") {
    if (j.value("add_prefix_space", false))
      return Error(where + ": ByteLevel with add_prefix_space is not supported (it changes the text)");
    if (!j.value("use_regex", true)) return std::unique_ptr<PreTokenizer>(new Identity());
    auto re = HfRegex::compile(kGpt2Pattern);
    if (!re) return Error(where + ": " + re.error());
    return std::unique_ptr<PreTokenizer>(new RegexSplit(*re, Behavior::Isolated, false));
  }
  if (type == "Digits") {
    auto re = HfRegex::compile("\\p{N}");
    if (!re) return Error(where + ": " + re.error());
    Behavior b = j.value("individual_digits", false) ? Behavior::Isolated : Behavior::Contiguous;
    return std::unique_ptr<PreTokenizer>(new RegexSplit(*re, b, false));
  }
  return Error(where + ": unsupported pre-tokenizer type \"" + type +
               "\" (supported: Sequence, Split, ByteLevel, Digits)");
}

}  // namespace

Expected<std::unique_ptr<PreTokenizer>> PreTokenizer::parse(const Json& j, const std::string& origin) {
  try {
    return parse_one(j, origin + ": pre_tokenizer");
  } catch (const Json::exception& e) {
    return Error(origin + ": pre_tokenizer: " + e.what());
  }
}

// ---- normalizer ----

Expected<Normalizer> Normalizer::parse(const Json& j, const std::string& origin) {
  Normalizer n;
  std::vector<const Json*> todo = {&j};
  while (!todo.empty()) {
    const Json& x = *todo.back();
    todo.pop_back();
    if (x.is_null()) continue;
    std::string type = x.is_object() ? x.value("type", "") : "";
    if (type == "NFC") {
      n.nfc_ = true;
    } else if (type == "Sequence" && x.contains("normalizers") && x["normalizers"].is_array()) {
      for (const Json& s : x["normalizers"]) todo.push_back(&s);
    } else {
      return Error(origin + ": normalizer: unsupported type \"" + type + "\" (supported: NFC, Sequence)");
    }
  }
  return n;
}

Normalized Normalizer::apply(std::string_view text) const {
  Normalized out;
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = nfc_ ? icu::Normalizer2::getNFCInstance(ec) : nullptr;
  icu::StringPiece src(text.data(), static_cast<int32_t>(text.size()));
  if (!nfc || U_FAILURE(ec) || nfc->isNormalizedUTF8(src, ec) || U_FAILURE(ec)) {
    out.text = std::string(text);
    return out;
  }
  icu::StringByteSink<std::string> sink(&out.text);
  icu::Edits edits;
  ec = U_ZERO_ERROR;
  nfc->normalizeUTF8(0, src, sink, &edits, ec);
  if (U_FAILURE(ec)) {
    out.text = std::string(text);
    return out;
  }
  out.orig.assign(out.text.size() + 1, text.size());
  icu::Edits::Iterator it = edits.getFineIterator();
  while (it.next(ec) && U_SUCCESS(ec)) {
    for (int32_t k = 0; k < it.newLength(); ++k)
      out.orig[it.destinationIndex() + k] = it.sourceIndex() + (it.hasChange() ? 0 : k);
  }
  return out;
}

}  // namespace stepcoder::model
