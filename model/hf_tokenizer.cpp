// tokenizer.json: see hf_tokenizer.h.
#include "model/hf_tokenizer.h"

#include <algorithm>
#include <queue>

#include <nlohmann/json.hpp>

namespace stepcoder::model {

namespace {

using Json = nlohmann::json;

// GPT-2's map of bytes to printable characters, in which byte-level vocabularies are written.
struct ByteLevelMap {
  std::string byte_char[256];          // UTF-8 of each byte's character
  std::unordered_map<uint32_t, int> char_byte;  // code point -> byte
  ByteLevelMap() {
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
      uint32_t cp = printable ? static_cast<uint32_t>(b) : static_cast<uint32_t>(256 + n++);
      char_byte[cp] = b;
      byte_char[b] = cp < 0x80 ? std::string(1, static_cast<char>(cp))
                               : std::string{static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    }
  }
};

const ByteLevelMap& byte_level() {
  static const ByteLevelMap m;
  return m;
}

// The bytes a byte-level vocabulary string stands for; characters outside the map are kept.
std::string decode_byte_level(const std::string& piece) {
  const ByteLevelMap& m = byte_level();
  std::string out;
  for (size_t i = 0; i < piece.size();) {
    unsigned char c = static_cast<unsigned char>(piece[i]);
    uint32_t cp = c;
    size_t len = 1;
    if ((c >> 5) == 6 && i + 1 < piece.size()) cp = ((c & 0x1F) << 6) | (piece[i + 1] & 0x3F), len = 2;
    auto it = len == 2 || c < 0x80 ? m.char_byte.find(cp) : m.char_byte.end();
    if (it != m.char_byte.end()) {
      out += static_cast<char>(it->second);
    } else {
      while (i + len < piece.size() && (static_cast<unsigned char>(piece[i + len]) & 0xC0) == 0x80) ++len;
      out += piece.substr(i, len);
    }
    i += len;
  }
  return out;
}

uint64_t pair_key(int a, int b) { return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b); }

bool has_type(const Json& j, const std::string& type) {
  if (j.is_object()) {
    if (j.value("type", "") == type) return true;
    for (const auto& [k, v] : j.items())
      if ((v.is_array() || v.is_object()) && has_type(v, type)) return true;
  } else if (j.is_array()) {
    for (const Json& v : j)
      if (has_type(v, type)) return true;
  }
  return false;
}

// "tokens" of tokenizer_config.json: a string, {"content": ...}, or null.
std::string token_content(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object() && j.contains("content") && j["content"].is_string()) return j["content"].get<std::string>();
  return "";
}

}  // namespace

// Added tokens' contents in a byte trie: the longest one starting at a position.
struct HfTokenizer::Trie {
  std::unordered_map<uint64_t, int> next;  // (node << 8 | byte) -> node
  std::vector<int> token = {-1};           // node -> index into added_, or -1
  bool empty() const { return token.size() == 1; }
  void add(const std::string& s, int index) {
    int node = 0;
    for (unsigned char c : s) {
      auto [it, fresh] = next.emplace(static_cast<uint64_t>(node) << 8 | c, static_cast<int>(token.size()));
      if (fresh) token.push_back(-1);
      node = it->second;
    }
    token[node] = index;
  }
  // The added token (index) of the longest match at text[i], and its length; -1 if none.
  int longest(std::string_view text, size_t i, size_t& len) const {
    int node = 0, found = -1;
    for (size_t j = i; j < text.size(); ++j) {
      auto it = next.find(static_cast<uint64_t>(node) << 8 | static_cast<unsigned char>(text[j]));
      if (it == next.end()) break;
      node = it->second;
      if (token[node] >= 0) found = token[node], len = j + 1 - i;
    }
    return found;
  }
};

HfTokenizer::HfTokenizer() : raw_(new Trie), normalized_(new Trie) {}
HfTokenizer::~HfTokenizer() = default;

Expected<std::unique_ptr<HfTokenizer>> HfTokenizer::parse(const std::string& text, const std::string& config,
                                                          const std::string& origin) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Error(origin + ": not a JSON object");
  std::unique_ptr<HfTokenizer> t(new HfTokenizer());
  try {
    auto norm = Normalizer::parse(json_field(j, "normalizer"), origin);
    if (!norm) return Error(norm.error());
    t->normalizer_ = *norm;
    if (Status st = t->parse_model(&j, origin); !st) return Error(st.error());
    if (Status st = t->parse_added(&j, origin); !st) return Error(st.error());
    auto pre = PreTokenizer::parse(json_field(j, "pre_tokenizer"), origin);
    if (!pre) return Error(pre.error());
    t->pre_ = std::move(*pre);
    const Json& dec = json_field(j, "decoder");
    if (!has_type(json_field(j, "pre_tokenizer"), "ByteLevel") || !dec.is_object() ||
        dec.value("type", "") != "ByteLevel")
      return Error(origin + ": only byte-level BPE is supported (a ByteLevel pre-tokenizer and decoder, as "
                            "Llama 3, Qwen2, Qwen3 and DeepSeek use)");
    if (Status st = t->parse_post(&j, origin); !st) return Error(st.error());
  } catch (const Json::exception& e) {
    return Error(origin + ": " + e.what());
  }
  if (Status st = t->parse_config(config, origin); !st) return Error(st.error());
  return t;
}

Status HfTokenizer::parse_model(const void* p, const std::string& origin) {
  const Json& j = *static_cast<const Json*>(p);
  const Json& m = json_field(j, "model");
  std::string type = m.is_object() ? m.value("type", "") : "";
  if (type != "BPE") return Error(origin + ": model.type \"" + type + "\" is not supported (BPE is)");
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (m.contains(key) && !m[key].is_null() && m[key] != "")
      return Error(origin + ": model." + key + " is not supported");
  if (m.value("byte_fallback", false)) return Error(origin + ": model.byte_fallback is not supported");
  ignore_merges_ = m.value("ignore_merges", false);
  if (!m.contains("vocab") || !m["vocab"].is_object()) return Error(origin + ": model.vocab is missing");
  int size = 0;
  for (const auto& [s, id] : m["vocab"].items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() >= (1 << 24))
      return Error(origin + ": model.vocab[" + Json(s).dump() + "]: the id is not in [0, 2^24)");
    vocab_[s] = id.get<int>();
    size = std::max(size, id.get<int>() + 1);
  }
  piece_.assign(size, "");
  text_.assign(size, "");
  for (const auto& [s, id] : vocab_) piece_[id] = s, text_[id] = decode_byte_level(s);
  const ByteLevelMap& bl = byte_level();
  for (int b = 0; b < 256; ++b) {
    auto it = vocab_.find(bl.byte_char[b]);
    if (it == vocab_.end()) return Error(origin + ": model.vocab lacks the token of byte " + std::to_string(b));
    byte_id_[b] = it->second;
  }
  if (m.contains("unk_token") && m["unk_token"].is_string()) {
    auto it = vocab_.find(m["unk_token"].get<std::string>());
    if (it != vocab_.end()) unk_ = it->second;
  }
  const Json& merges = json_field(m, "merges");
  for (size_t r = 0; r < merges.size(); ++r) {
    std::string a, b;
    if (merges[r].is_string()) {
      std::string s = merges[r].get<std::string>();
      size_t sp = s.find(' ', 1);
      if (sp == std::string::npos) return Error(origin + ": model.merges[" + std::to_string(r) + "] is not \"A B\"");
      a = s.substr(0, sp), b = s.substr(sp + 1);
    } else if (merges[r].is_array() && merges[r].size() == 2) {
      a = merges[r][0].get<std::string>(), b = merges[r][1].get<std::string>();
    } else {
      return Error(origin + ": model.merges[" + std::to_string(r) + "] is neither \"A B\" nor [A, B]");
    }
    auto ia = vocab_.find(a), ib = vocab_.find(b), im = vocab_.find(a + b);
    if (ia == vocab_.end() || ib == vocab_.end() || im == vocab_.end())
      return Error(origin + ": model.merges[" + std::to_string(r) + "] " + Json(a + " " + b).dump() +
                   ": a token of it is not in the vocabulary");
    merges_.emplace(pair_key(ia->second, ib->second), Merge{static_cast<int>(r), im->second});
  }
  return {};
}

Status HfTokenizer::parse_added(const void* p, const std::string& origin) {
  const Json& j = *static_cast<const Json*>(p);
  const Json& list = json_field(j, "added_tokens");
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& a = list[i];
    std::string where = origin + ": added_tokens[" + std::to_string(i) + "]";
    HfAddedToken t;
    t.content = a.value("content", "");
    t.id = a.value("id", -1);
    t.special = a.value("special", false);
    t.normalized = a.value("normalized", !t.special);
    if (t.content.empty() || t.id < 0 || t.id >= (1 << 24)) return Error(where + ": no content or no valid id");
    if (a.value("single_word", false) || a.value("lstrip", false) || a.value("rstrip", false))
      return Error(where + " " + Json(t.content).dump() + ": single_word, lstrip and rstrip are not supported");
    if (t.id >= static_cast<int>(text_.size())) text_.resize(t.id + 1), piece_.resize(t.id + 1);
    text_[t.id] = piece_[t.id] = t.content;
    vocab_[t.content] = t.id;
    added_.push_back(t);
  }
  // Those not normalized match the raw text; the others, the normalized text.
  special_.assign(text_.size(), false);
  for (size_t i = 0; i < added_.size(); ++i) {
    special_[added_[i].id] = added_[i].special;
    if (added_[i].normalized && !normalizer_.identity())
      normalized_->add(normalizer_.apply_text(added_[i].content), static_cast<int>(i));
    else
      raw_->add(added_[i].content, static_cast<int>(i));
  }
  return {};
}

Status HfTokenizer::parse_post(const void* p, const std::string& origin) {
  const Json& j = *static_cast<const Json*>(p);
  std::vector<const Json*> todo = {&json_field(j, "post_processor")};
  while (!todo.empty()) {
    const Json& x = *todo.back();
    todo.pop_back();
    if (x.is_null()) continue;
    std::string type = x.is_object() ? x.value("type", "") : "";
    if (type == "Sequence") {
      const Json& ps = json_field(x, "processors");
      for (auto it = ps.rbegin(); it != ps.rend(); ++it) todo.push_back(&*it);
    } else if (type == "TemplateProcessing") {
      bool after = false;
      for (const Json& item : json_field(x, "single")) {
        if (item.contains("Sequence")) {
          after = true;
          continue;
        }
        std::string name = item.at("SpecialToken").at("id").get<std::string>();
        const Json& st = json_field(x, "special_tokens");
        if (!st.contains(name)) return Error(origin + ": post_processor: special token " + Json(name).dump() + " is not listed");
        for (const Json& id : st[name].at("ids")) (after ? suffix_ : prefix_).push_back(id.get<int>());
      }
    } else if (type != "ByteLevel") {
      return Error(origin + ": post_processor: unsupported type \"" + type + "\" (supported: ByteLevel, TemplateProcessing, Sequence)");
    }
  }
  return {};
}

Status HfTokenizer::parse_config(const std::string& config, const std::string& origin) {
  if (config.empty()) return {};
  std::string where = origin.substr(0, origin.rfind('/') + 1) + "tokenizer_config.json";
  Json c = Json::parse(config, nullptr, false);
  if (c.is_discarded() || !c.is_object()) return Error(where + ": not a JSON object");
  auto id_of = [&](const char* key, int& out) -> Status {
    std::string s = token_content(c.value(key, Json()));
    if (s.empty()) return {};
    out = token_id(s);
    if (out < 0) return Error(where + ": " + key + " " + Json(s).dump() + " is not a token of the vocabulary");
    return {};
  };
  for (auto [key, out] : {std::pair<const char*, int*>{"bos_token", &bos_}, {"eos_token", &eos_}, {"pad_token", &pad_}})
    if (Status st = id_of(key, *out); !st) return st;
  const Json& tpl = json_field(c, "chat_template");
  if (tpl.is_string()) chat_template_ = tpl.get<std::string>();
  else if (tpl.is_array())
    for (const Json& t : tpl)
      if (t.value("name", "") == "default") chat_template_ = t.value("template", "");
  return {};
}

// ---- encoding ----

namespace {

// Cuts text at the trie's added tokens: gap(begin, end) for the text between them,
// token(index, begin, end) for each match.
template <class Trie, class Gap, class Token>
void split_at_added(const Trie& trie, std::string_view text, Gap gap, Token token) {
  size_t start = 0;
  for (size_t i = 0; i < text.size();) {
    size_t len = 0;
    int a = trie.empty() ? -1 : trie.longest(text, i, len);
    if (a < 0) {
      ++i;
      continue;
    }
    if (i > start) gap(start, i);
    token(a, i, i + len);
    i += len;
    start = i;
  }
  if (start < text.size()) gap(start, text.size());
}

}  // namespace

void HfTokenizer::encode(std::string_view text, Encoding& out) const {
  split_at_added(
      *raw_, text,
      [&](size_t b, size_t e) { encode_normalized(normalizer_.apply(text.substr(b, e - b)), b, out); },
      [&](int a, size_t b, size_t e) {
        out.ids.push_back(added_[a].id);
        out.spans.push_back({static_cast<int>(b), static_cast<int>(e)});
      });
}

void HfTokenizer::encode_normalized(const Normalized& n, size_t offset, Encoding& out) const {
  std::string_view text = n.text;
  auto span = [&](size_t b, size_t e) {
    return TokenSpan{static_cast<int>(offset + n.to_original(b)), static_cast<int>(offset + n.to_original(e))};
  };
  auto model = [&](size_t b, size_t e) {
    std::vector<Piece> pieces;
    pre_->split(text, {{b, e}}, pieces);
    std::vector<int> ids;
    for (const Piece& p : pieces) {
      ids.clear();
      bpe(text.substr(p.begin, p.end - p.begin), ids);
      size_t at = p.begin;
      for (int id : ids) {
        size_t end = std::min(p.end, at + text_[id].size());
        out.ids.push_back(id);
        out.spans.push_back(span(at, end));
        at = end;
      }
    }
  };
  split_at_added(*normalized_, text, model, [&](int a, size_t b, size_t e) {
    out.ids.push_back(added_[a].id);
    out.spans.push_back(span(b, e));
  });
}

void HfTokenizer::bpe(std::string_view piece, std::vector<int>& ids) const {
  const bool cacheable = piece.size() < 256;
  std::string key(piece);
  if (cacheable) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      ids.insert(ids.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int> word;
  if (ignore_merges_) {
    std::string mapped;
    for (unsigned char c : piece) mapped += byte_level().byte_char[c];
    auto it = vocab_.find(mapped);
    if (it != vocab_.end()) word.push_back(it->second);
  }
  if (word.empty()) {
    for (unsigned char c : piece) word.push_back(byte_id_[c]);
    merge_word(word);
  }
  ids.insert(ids.end(), word.begin(), word.end());
  if (cacheable) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (cache_.size() > (1u << 16)) cache_.clear();
    cache_.emplace(std::move(key), std::move(word));
  }
}

// Applies merges lowest rank first, the leftmost of equal ranks first, as the Rust library's
// `Word::merge_all` does: a heap of candidate pairs, each checked against the current symbols
// when it comes up.
void HfTokenizer::merge_word(std::vector<int>& word) const {
  const int n = static_cast<int>(word.size());
  if (n < 2) return;
  struct Cand {
    int rank, pos, left, right;
    bool operator>(const Cand& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  std::vector<int> prev(n), next(n);
  std::vector<bool> alive(n, true);
  for (int i = 0; i < n; ++i) prev[i] = i - 1, next[i] = i + 1 < n ? i + 1 : -1;
  std::priority_queue<Cand, std::vector<Cand>, std::greater<Cand>> heap;
  auto offer = [&](int a) {
    if (a < 0 || next[a] < 0) return;
    auto it = merges_.find(pair_key(word[a], word[next[a]]));
    if (it != merges_.end()) heap.push({it->second.rank, a, word[a], word[next[a]]});
  };
  for (int i = 0; i + 1 < n; ++i) offer(i);
  while (!heap.empty()) {
    Cand c = heap.top();
    heap.pop();
    int a = c.pos, b = next[a];
    if (!alive[a] || b < 0 || word[a] != c.left || word[b] != c.right) continue;
    word[a] = merges_.at(pair_key(c.left, c.right)).id;
    alive[b] = false;
    next[a] = next[b];
    if (next[b] >= 0) prev[next[b]] = a;
    offer(prev[a]);
    offer(a);
  }
  std::vector<int> out;
  for (int i = 0; i >= 0; i = next[i]) out.push_back(word[i]);
  word.swap(out);
}

std::string HfTokenizer::decode(const std::vector<int>& ids) const {
  std::string out;
  for (int id : ids) out += token_text(id);
  return out;
}

const std::string& HfTokenizer::token_text(int id) const {
  static const std::string kEmpty;
  return id >= 0 && id < vocab_size() ? text_[id] : kEmpty;
}

const std::string& HfTokenizer::piece(int id) const {
  static const std::string kEmpty;
  return id >= 0 && id < vocab_size() ? piece_[id] : kEmpty;
}

int HfTokenizer::token_id(const std::string& piece) const {
  auto it = vocab_.find(piece);
  return it == vocab_.end() ? -1 : it->second;
}

bool HfTokenizer::is_special(int id) const { return id >= 0 && id < static_cast<int>(special_.size()) && special_[id]; }

}  // namespace stepcoder::model
