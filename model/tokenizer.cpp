// SentencePiece behind the code pre-tokenizer (see tokenizer.h). Training feeds SentencePiece
// only the word segments, each with its count, so no piece spans an operator, a digit or a
// line break; the fixed symbols are control symbols that the encoder maps directly.
#include "model/tokenizer.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "model/chat_prompt.h"
#include "model/hf_tokenizer.h"
#include "model/spm_bridge.h"
#include "util/files.h"

namespace stepcoder::model {

namespace {

const std::string kSpace = "\xE2\x96\x81";  // SentencePiece's visible space
// How a checkpoint stores a Hugging Face tokenizer: this line, the byte length of
// tokenizer.json and a newline, tokenizer.json, then tokenizer_config.json.
const std::string kHfMagic = "stepcoder hugging face tokenizer 1\n";

// The two files of a stored Hugging Face tokenizer; false when the bytes are not one (or cut).
bool split_hf_envelope(const std::string& bytes, std::string& json, std::string& config) {
  if (bytes.compare(0, kHfMagic.size(), kHfMagic) != 0) return false;
  size_t nl = bytes.find('\n', kHfMagic.size());
  if (nl == std::string::npos) return false;
  size_t n = std::strtoull(bytes.c_str() + kHfMagic.size(), nullptr, 10);
  if (n > bytes.size() - nl - 1) return false;
  json = bytes.substr(nl + 1, n);
  config = bytes.substr(nl + 1 + n);
  return true;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string unescape_piece(std::string p) {
  std::string out;
  for (size_t i = 0; i < p.size();) {
    if (p.compare(i, kSpace.size(), kSpace) == 0) {
      out += ' ';
      i += kSpace.size();
    } else {
      out += p[i++];
    }
  }
  return out;
}

// "<0x41>" -> 0x41, or -1.
int byte_piece_value(const std::string& p) {
  if (p.size() != 6 || p.compare(0, 3, "<0x") != 0 || p[5] != '>') return -1;
  return static_cast<int>(std::stoi(p.substr(3, 2), nullptr, 16));
}

// Writes the word counts as SentencePiece's TSV input (sentence \t count), most frequent first
// so that training is independent of hash order.
Expected<std::string> write_word_counts(const std::vector<std::string>& texts,
                                        const PretokOptions& opts, const TempDir& dir) {
  std::map<std::string, int64_t> counts;
  for (const std::string& t : texts)
    for (const Segment& s : pretokenize(t, opts))
      if (s.kind == Segment::Kind::Word) ++counts[t.substr(s.begin, s.end - s.begin)];
  if (counts.empty()) return Error("the corpus has no words to learn a vocabulary from");
  std::vector<std::pair<std::string, int64_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string tsv;
  for (const auto& [w, c] : rows) tsv += w + "\t" + std::to_string(c) + "\n";
  std::string path = dir.file("words.tsv");
  if (Status st = write_file_atomic(path, tsv); !st) return Error(st.error());
  return path;
}

}  // namespace

Tokenizer::Tokenizer() = default;

Status Tokenizer::open_bridge() {
  std::string error;
  sp_.reset(create_spm_bridge(&error));
  if (!sp_) return Error("loading SentencePiece: " + error);
  return {};
}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(const Tokenizer& o) : Tokenizer() {
  format_ = o.format_, chat_ = o.chat_;
  if (o.hf_) {
    hf_ = o.hf_;
    serialized_ = o.serialized_;
    bos_ = o.bos_, eos_ = o.eos_, pad_ = o.pad_;
    return;
  }
  Status st = init(o.serialized_, "copy");
  (void)st;  // the same bytes loaded once already
}

Expected<Tokenizer> Tokenizer::train(const std::vector<std::string>& texts,
                                     const TokenizerTrainOptions& o) {
  PretokOptions popts{o.split_underscore, o.max_indent};
  auto dir = TempDir::create("stepcoder-tok");
  if (!dir) return Error("training tokenizer: " + dir.error());
  auto tsv = write_word_counts(texts, popts, *dir);
  if (!tsv) return Error("training tokenizer: " + tsv.error());
  std::string control;
  for (const auto& [name, text] : fixed_symbols(popts)) control += (control.empty() ? "" : ",") + name;
  std::unordered_map<std::string, std::string> args = {
      {"input", *tsv}, {"input_format", "tsv"},
      {"vocab_size", std::to_string(o.vocab_size)}, {"model_type", o.model_type},
      {"character_coverage", "1.0"}, {"byte_fallback", "true"}, {"split_digits", "true"},
      {"normalization_rule_name", "identity"}, {"add_dummy_prefix", "false"},
      {"remove_extra_whitespaces", "false"}, {"split_by_whitespace", "true"},
      {"hard_vocab_limit", "false"}, {"split_by_unicode_script", "false"}, {"num_threads", "1"}, {"max_sentencepiece_length", "24"},
      {"unk_id", "0"}, {"bos_id", "1"}, {"eos_id", "2"}, {"pad_id", "3"},
      {"control_symbols", control}, {"minloglevel", "2"}};
  std::string error;
  std::unique_ptr<SpmBridge> trainer(create_spm_bridge(&error));
  if (!trainer) return Error("training tokenizer: " + error);
  std::string proto;
  error = trainer->train(args, static_cast<uint32_t>(o.seed), &proto);
  if (!error.empty()) return Error("training tokenizer: SentencePiece: " + error);
  return from_serialized(proto, "trained tokenizer");
}

Expected<Tokenizer> Tokenizer::load(const std::string& path) {
  if (is_directory(path) && !file_exists(path + "/tokenizer.json")) {
    if (file_exists(path + "/tokenizer.model")) return load(path + "/tokenizer.model");
    return Error("loading tokenizer: " + path + " holds neither tokenizer.json nor tokenizer.model");
  }
  if (is_directory(path) || ends_with(path, ".json")) {
    std::string json_path = is_directory(path) ? path + "/tokenizer.json" : path;
    std::string config_path = json_path.substr(0, json_path.rfind('/') + 1) + "tokenizer_config.json";
    auto json = read_file(json_path);
    if (!json) return Error("loading tokenizer: " + json.error());
    std::string config;
    if (file_exists(config_path)) {
      auto c = read_file(config_path);
      if (!c) return Error("loading tokenizer: " + c.error());
      config = *c;
    }
    Tokenizer t;
    if (Status st = t.init_hf(*json, config, json_path); !st) return Error(st.error());
    return t;
  }
  auto bytes = read_file(path);
  if (!bytes) return Error("loading tokenizer: " + bytes.error());
  return from_serialized(*bytes, path);
}

Expected<Tokenizer> Tokenizer::from_serialized(const std::string& bytes, const std::string& origin) {
  Tokenizer t;
  if (Status st = t.init(bytes, origin); !st) return Error(st.error());
  return t;
}

Status Tokenizer::init_hf(const std::string& json, const std::string& config, const std::string& origin) {
  auto hf = HfTokenizer::parse(json, config, origin);
  if (!hf) return Error("loading tokenizer " + hf.error());
  hf_ = std::shared_ptr<const HfTokenizer>(std::move(*hf));
  serialized_ = kHfMagic + std::to_string(json.size()) + "\n" + json + config;
  bos_ = hf_->bos_id(), eos_ = hf_->eos_id(), pad_ = hf_->pad_id();
  return {};
}

Status Tokenizer::init(const std::string& bytes, const std::string& origin) {
  if (bytes.compare(0, kHfMagic.size(), kHfMagic) == 0) {
    std::string json, config;
    if (!split_hf_envelope(bytes, json, config))
      return Error("loading tokenizer " + origin + ": the stored tokenizer.json is truncated");
    return init_hf(json, config, origin + " (its tokenizer.json)");
  }
  if (Status st = open_bridge(); !st) return Error("loading tokenizer " + origin + ": " + st.error());
  std::string why = sp_->load(bytes);
  if (!why.empty())
    return Error("loading tokenizer " + origin + ": not a SentencePiece model (" + why +
                 ")\n---> HINT: train one with `stepcoder tokenizer train CORPUS -o tok.model`");
  serialized_ = bytes;
  bos_ = sp_->special_id('b'), eos_ = sp_->special_id('e'), pad_ = sp_->special_id('p');
  const int unk = sp_->special_id('u');
  std::fill(std::begin(byte_ids_), std::end(byte_ids_), -1);
  std::unordered_map<std::string, std::string> fixed_text;
  pretok_ = sp_->piece_to_id(kPretokMarker) != unk;
  opts_.split_underscore = sp_->piece_to_id(kUnderscoreSymbol) != unk;
  opts_.max_indent = 0;
  while (sp_->piece_to_id("<nl:" + std::to_string(opts_.max_indent + 1) + ">") != unk)
    ++opts_.max_indent;
  if (pretok_)
    for (auto& [name, text] : fixed_symbols(opts_)) fixed_text[name] = text;
  const int n = sp_->piece_size();
  texts_.assign(n, "");
  fixed_.clear();
  for (int id = 0; id < n; ++id) {
    std::string p = sp_->id_to_piece(id);
    const int type = sp_->piece_type(id);
    if (type == 3) {
      int b = byte_piece_value(p);
      if (b >= 0) byte_ids_[b] = id, texts_[id] = std::string(1, static_cast<char>(b));
    } else if (type == 2) {
      auto it = fixed_text.find(p);
      if (it != fixed_text.end()) fixed_[p] = id, texts_[id] = it->second;
    } else if (type != 1) {
      texts_[id] = unescape_piece(p);
    }
  }
  if (pretok_ && (fixed_.size() != fixed_text.size() || byte_ids_[0] < 0))
    return Error("loading tokenizer " + origin + ": the symbol table is incomplete (" +
                 std::to_string(fixed_.size()) + " of " + std::to_string(fixed_text.size()) +
                 " fixed symbols, byte fallback " + (byte_ids_[0] < 0 ? "missing" : "present") + ")");
  return {};
}

Status Tokenizer::save(const std::string& path) const {
  if (Status st = write_file_atomic(path, serialized_); !st) return Error("saving tokenizer: " + st.error());
  return {};
}

Status Tokenizer::save_files(const std::string& dir) const {
  if (!hf_) return save(dir + "/tokenizer.model");
  std::string json, config;
  split_hf_envelope(serialized_, json, config);  // written by init_hf: always whole
  if (Status st = write_file_atomic(dir + "/tokenizer.json", json); !st) return st;
  if (config.empty()) return {};
  return write_file_atomic(dir + "/tokenizer_config.json", config);
}

void Tokenizer::encode_word(std::string_view text, size_t offset, Encoding& out) const {
  std::vector<int> ids = sp_->encode(std::string(text));
  // Offsets follow from the exact per-token texts; when they do not add up to the segment
  // (a character SentencePiece normalizes), fall back to bytes so decoding stays exact.
  std::string joined;
  for (int id : ids) joined += texts_[id];
  if (joined != text) {
    ids.clear();
    for (unsigned char c : text) ids.push_back(byte_ids_[c]);
  }
  size_t pos = offset;
  for (int id : ids) {
    size_t len = texts_[id].size();
    out.ids.push_back(id);
    out.spans.push_back({static_cast<int>(pos), static_cast<int>(pos + len)});
    pos += len;
  }
}

Encoding Tokenizer::encode_plain(std::string_view text) const {
  Encoding out;
  for (const SpmPiece& p : sp_->encode_with_offsets(std::string(text))) {
    out.ids.push_back(p.id);
    out.spans.push_back({p.begin, p.end});
  }
  return out;
}

Encoding Tokenizer::encode(std::string_view text) const {
  if (hf_) {
    Encoding out;
    hf_->encode(text, out);
    return out;
  }
  if (!pretok_) return encode_plain(text);
  Encoding out;
  for (const Segment& s : pretokenize(text, opts_)) {
    std::string_view part = text.substr(s.begin, s.end - s.begin);
    if (s.kind == Segment::Kind::Fixed) {
      out.ids.push_back(fixed_.at(s.symbol));
      out.spans.push_back({static_cast<int>(s.begin), static_cast<int>(s.end)});
    } else if (s.kind == Segment::Kind::Byte) {
      out.ids.push_back(byte_ids_[static_cast<unsigned char>(part[0])]);
      out.spans.push_back({static_cast<int>(s.begin), static_cast<int>(s.end)});
    } else {
      encode_word(part, s.begin, out);
    }
  }
  return out;
}

std::string Tokenizer::decode(const std::vector<int>& ids) const {
  if (hf_) return hf_->decode(ids);
  if (!pretok_) return sp_->decode(ids);
  std::string out;
  for (int id : ids) out += token_text(id);
  return out;
}

const std::string& Tokenizer::token_text(int id) const {
  static const std::string kEmpty;
  if (hf_) return hf_->token_text(id);
  if (id < 0 || id >= static_cast<int>(texts_.size())) return kEmpty;
  return texts_[id];
}

std::string Tokenizer::piece(int id) const {
  if (hf_) return hf_->piece(id);
  if (id < 0 || id >= vocab_size()) return "";
  return sp_->id_to_piece(id);
}

int Tokenizer::vocab_size() const { return hf_ ? hf_->vocab_size() : static_cast<int>(texts_.size()); }

Expected<std::vector<int>> Tokenizer::encode_prompt(std::string_view text) const {
  if (chat_) {
    auto rendered = chat_->render(text);
    if (!rendered) return Error(rendered.error());
    return encode(*rendered).ids;
  }
  std::vector<int> ids = prefix_ids();
  Encoding e = encode(text);
  ids.insert(ids.end(), e.ids.begin(), e.ids.end());
  return ids;
}

Expected<std::vector<std::vector<int>>> Tokenizer::encode_prompts(const std::vector<std::string>& texts) const {
  std::vector<std::vector<int>> out;
  out.reserve(texts.size());
  for (const std::string& t : texts) {
    auto ids = encode_prompt(t);
    if (!ids) return Error(ids.error());
    out.push_back(std::move(*ids));
  }
  return out;
}

Status Tokenizer::set_prompt_format(const PromptFormat& format) {
  if (!format.chat()) {
    if (format.kind != "plain") return Error("model.prompt_format '" + format.kind + "' is neither plain nor chat");
    format_ = format, chat_.reset();
    return {};
  }
  auto chat = ChatPrompt::make(format, chat_template(), bos_ >= 0 ? piece(bos_) : "", eos_ >= 0 ? piece(eos_) : "");
  if (!chat) return Error(chat.error());
  chat_ = std::make_shared<const ChatPrompt>(std::move(*chat));
  format_ = format;
  return {};
}

const std::vector<int>& Tokenizer::prefix_ids() const {
  static const std::vector<int> kNone;
  return hf_ ? hf_->prefix() : kNone;
}

const std::vector<int>& Tokenizer::suffix_ids() const {
  static const std::vector<int> kNone;
  return hf_ ? hf_->suffix() : kNone;
}

const std::string& Tokenizer::chat_template() const {
  static const std::string kNone;
  return hf_ ? hf_->chat_template() : kNone;
}

}  // namespace stepcoder::model
