// Hugging Face tokenizer.json on small tokenizers written here; parity with the reference
// implementation on real vocabularies is tests/model/hf_tokenizer/parity.sh.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/hf_tokenizer.h"
#include "model/tokenizer.h"
#include "util/files.h"

namespace stepcoder::model {
namespace {

using Json = nlohmann::json;

// GPT-2's byte-to-character map, written out independently of the implementation.
std::string byte_char(int b) {
  static std::vector<std::string> m = [] {
    std::vector<int> bs, cs;
    for (int i = 33; i <= 126; ++i) bs.push_back(i);
    for (int i = 161; i <= 172; ++i) bs.push_back(i);
    for (int i = 174; i <= 255; ++i) bs.push_back(i);
    cs = bs;
    for (int i = 0, n = 0; i < 256; ++i)
      if (std::find(bs.begin(), bs.end(), i) == bs.end()) bs.push_back(i), cs.push_back(256 + n++);
    std::vector<std::string> out(256);
    for (size_t k = 0; k < bs.size(); ++k) {
      int c = cs[k];
      out[bs[k]] = c < 0x80 ? std::string(1, static_cast<char>(c))
                            : std::string{static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    }
    return out;
  }();
  return m[b];
}

// A byte-level BPE over the 256 bytes (id = byte), the given merges (each adds a token), an
// end-of-text token and Llama 3.1's kind of pre-tokenizer and post-processor.
Json tiny_json(const std::vector<std::pair<std::string, std::string>>& merges, bool nfc = false) {
  Json vocab = Json::object();
  for (int b = 0; b < 256; ++b) vocab[byte_char(b)] = b;
  Json m = Json::array();
  int next = 256;
  auto mapped = [](const std::string& s) {
    std::string out;
    for (unsigned char c : s) out += byte_char(c);
    return out;
  };
  for (const auto& [a, b] : merges) {
    m.push_back(mapped(a) + " " + mapped(b));
    if (!vocab.contains(mapped(a + b))) vocab[mapped(a + b)] = next++;
  }
  Json j;
  j["model"] = {{"type", "BPE"}, {"vocab", vocab}, {"merges", m}, {"ignore_merges", false}};
  j["added_tokens"] = Json::array({{{"id", 1000}, {"content", "<|eot|>"}, {"special", true}, {"normalized", false}},
                                   {{"id", 1001}, {"content", "<|bos|>"}, {"special", true}, {"normalized", false}}});
  j["normalizer"] = nfc ? Json{{"type", "NFC"}} : Json();
  j["pre_tokenizer"] = {{"type", "Sequence"}, {"pretokenizers", Json::array({
      {{"type", "Split"}, {"behavior", "Isolated"}, {"invert", false},
       {"pattern", {{"Regex", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}}}},
      {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}})}};
  j["post_processor"] = {{"type", "TemplateProcessing"},
                         {"single", Json::array({{{"SpecialToken", {{"id", "<|bos|>"}, {"type_id", 0}}}},
                                                 {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
                         {"special_tokens", {{"<|bos|>", {{"id", "<|bos|>"}, {"ids", {1001}}, {"tokens", {"<|bos|>"}}}}}}};
  j["decoder"] = {{"type", "ByteLevel"}};
  return j;
}

std::unique_ptr<HfTokenizer> make(const Json& j, const std::string& config = "") {
  auto t = HfTokenizer::parse(j.dump(), config, "tiny/tokenizer.json");
  EXPECT_TRUE(t) << t.error();
  return t ? std::move(*t) : nullptr;
}

Encoding encode(const HfTokenizer& t, const std::string& s) {
  Encoding e;
  t.encode(s, e);
  return e;
}

std::vector<std::string> texts(const HfTokenizer& t, const Encoding& e) {
  std::vector<std::string> out;
  for (int id : e.ids) out.push_back(t.token_text(id));
  return out;
}

TEST(HfTokenizerTest, MergesApplyLowestRankFirst) {
  auto in_first = make(tiny_json({{"i", "n"}, {"n", "t"}}));
  auto nt_first = make(tiny_json({{"n", "t"}, {"i", "n"}}));
  ASSERT_TRUE(in_first && nt_first);
  EXPECT_EQ(texts(*in_first, encode(*in_first, "int")), (std::vector<std::string>{"in", "t"}));
  EXPECT_EQ(texts(*nt_first, encode(*nt_first, "int")), (std::vector<std::string>{"i", "nt"}));
  // Equal pairs merge from the left: "aaa" -> "aa" "a".
  auto aa = make(tiny_json({{"a", "a"}}));
  EXPECT_EQ(texts(*aa, encode(*aa, "aaa")), (std::vector<std::string>{"aa", "a"}));
}

TEST(HfTokenizerTest, PiecesNeverMergeAcrossThePreTokenizersCuts) {
  auto t = make(tiny_json({{"x", " "}, {" ", "y"}}));
  ASSERT_TRUE(t);
  // "x y" splits into "x" and " y": no "x " token although the merge exists.
  EXPECT_EQ(texts(*t, encode(*t, "x y")), (std::vector<std::string>{"x", " y"}));
}

TEST(HfTokenizerTest, AddedTokensMatchInsideTextWithTheirSpans) {
  auto t = make(tiny_json({}));
  ASSERT_TRUE(t);
  Encoding e = encode(*t, "ab<|eot|>c<|eot");
  ASSERT_EQ(e.ids.size(), 9u);
  EXPECT_EQ(e.ids[2], 1000);
  EXPECT_EQ(e.spans[2].begin, 2);
  EXPECT_EQ(e.spans[2].end, 9);
  EXPECT_TRUE(t->is_special(1000));
  EXPECT_EQ(t->decode(e.ids), "ab<|eot|>c<|eot");  // special tokens decode to their content
}

TEST(HfTokenizerTest, AnyBytesRoundTripAndSpansTileTheText) {
  auto t = make(tiny_json({{"i", "n"}, {"in", "t"}, {" ", " "}}));
  ASSERT_TRUE(t);
  std::string s = "int\tx;\r\n    \xff\xfe broken \xe4\xbd utf8 \xF0\x9F\x98\x80 <|eot|>";
  for (int b = 0; b < 256; ++b) s += static_cast<char>(b);
  Encoding e = encode(*t, s);
  EXPECT_EQ(t->decode(e.ids), s);
  int at = 0;
  for (size_t i = 0; i < e.ids.size(); ++i) {
    EXPECT_EQ(e.spans[i].begin, at) << i;
    EXPECT_EQ(s.substr(e.spans[i].begin, e.spans[i].end - e.spans[i].begin), t->token_text(e.ids[i])) << i;
    at = e.spans[i].end;
  }
  EXPECT_EQ(at, static_cast<int>(s.size()));
}

TEST(HfTokenizerTest, NfcMapsSpansBackToTheOriginalBytes) {
  auto t = make(tiny_json({}, /*nfc=*/true));
  ASSERT_TRUE(t);
  std::string s = "xe\xCC\x81y";  // x, e + combining acute (NFC: U+00E9), y
  Encoding e = encode(*t, s);
  EXPECT_EQ(t->decode(e.ids), "x\xC3\xA9y");
  ASSERT_FALSE(e.spans.empty());
  EXPECT_EQ(e.spans.front().begin, 0);
  EXPECT_EQ(e.spans.back().end, static_cast<int>(s.size()));
  for (size_t i = 1; i < e.spans.size(); ++i) EXPECT_LE(e.spans[i - 1].end, e.spans[i].begin + 0) << i;
}

TEST(HfTokenizerTest, ThePostProcessorAndTheConfigGiveSpecialIds) {
  std::string config = R"({"bos_token": "<|bos|>", "eos_token": {"content": "<|eot|>"}, "pad_token": null,
                           "chat_template": "{{ messages }}"})";
  auto t = make(tiny_json({}), config);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->prefix(), std::vector<int>{1001});
  EXPECT_TRUE(t->suffix().empty());
  EXPECT_EQ(t->bos_id(), 1001);
  EXPECT_EQ(t->eos_id(), 1000);
  EXPECT_EQ(t->pad_id(), -1);
  EXPECT_EQ(t->chat_template(), "{{ messages }}");
  auto bad = HfTokenizer::parse(tiny_json({}).dump(), R"({"eos_token": "<|nope|>"})", "tiny/tokenizer.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("tiny/tokenizer_config.json: eos_token \"<|nope|>\""), std::string::npos) << bad.error();
}

TEST(HfTokenizerTest, OnigurumaGroupsFoldAsciiOnly) {
  Json pre = tiny_json({})["pre_tokenizer"];
  auto p = PreTokenizer::parse(pre, "t");
  ASSERT_TRUE(p) << p.error();
  auto cut = [&](const std::string& s) {
    std::vector<std::string> out;
    for (const Piece& x : (*p)->split(s)) out.push_back(s.substr(x.begin, x.end - x.begin));
    return out;
  };
  EXPECT_EQ(cut("it's"), (std::vector<std::string>{"it", "'s"}));
  EXPECT_EQ(cut("IT'S"), (std::vector<std::string>{"IT", "'S"}));
  // U+017F (long s) folds to s in Unicode, not in ASCII: "'\u017Fok" stays one piece.
  EXPECT_EQ(cut("it'\xC5\xBFok"), (std::vector<std::string>{"it", "'\xC5\xBFok"}));
  EXPECT_EQ(oniguruma_to_pcre2("(?i:'s|'t)x\\s"), "(?:'[sS]|'[tT])x\\p{White_Space}");
}

TEST(HfTokenizerTest, BadFilesNameWhatIsWrong) {
  auto error_of = [](const Json& j) {
    auto t = HfTokenizer::parse(j.dump(), "", "dir/tokenizer.json");
    return t ? std::string() : t.error();
  };
  Json j = tiny_json({{"a", "b"}});
  Json wp = j;
  wp["model"]["type"] = "WordPiece";
  EXPECT_NE(error_of(wp).find("dir/tokenizer.json: model.type \"WordPiece\""), std::string::npos) << error_of(wp);
  Json merge = j;
  merge["model"]["merges"].push_back("q zzz");
  EXPECT_NE(error_of(merge).find("model.merges[1]"), std::string::npos) << error_of(merge);
  Json pre = j;
  pre["pre_tokenizer"] = {{"type", "Metaspace"}};
  EXPECT_NE(error_of(pre).find("unsupported pre-tokenizer type \"Metaspace\""), std::string::npos);
  Json regex = j;
  regex["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(unclosed";
  EXPECT_NE(error_of(regex).find("regex \"(unclosed\""), std::string::npos) << error_of(regex);
  Json norm = j;
  norm["normalizer"] = {{"type", "Lowercase"}};
  EXPECT_NE(error_of(norm).find("normalizer: unsupported type \"Lowercase\""), std::string::npos);
  Json post = j;
  post["post_processor"] = {{"type", "RobertaProcessing"}};
  EXPECT_NE(error_of(post).find("post_processor: unsupported type \"RobertaProcessing\""), std::string::npos);
  auto cut = HfTokenizer::parse(j.dump().substr(0, 500), "", "dir/tokenizer.json");
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().find("dir/tokenizer.json: not a JSON object"), std::string::npos);
}

TEST(HfTokenizerTest, TheFacadeLoadsADirectoryAndRestoresFromACheckpoint) {
  auto dir = TempDir::create("stepcoder-hftok");
  ASSERT_TRUE(dir);
  ASSERT_TRUE(write_file_atomic(dir->file("tokenizer.json"), tiny_json({{"i", "n"}}).dump()));
  ASSERT_TRUE(write_file_atomic(dir->file("tokenizer_config.json"), R"({"eos_token": "<|eot|>"})"));
  auto tok = Tokenizer::load(dir->path());
  ASSERT_TRUE(tok) << tok.error();
  EXPECT_TRUE(tok->hugging_face());
  EXPECT_EQ(tok->eos_id(), 1000);
  EXPECT_EQ(tok->prefix_ids(), std::vector<int>{1001});
  std::string s = "int main() { return 0; }\n";
  Encoding e = tok->encode(s);
  EXPECT_EQ(tok->decode(e.ids), s);
  auto back = Tokenizer::from_serialized(tok->serialized(), "checkpoint c.pt");
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->encode(s).ids, e.ids);
  EXPECT_EQ(back->eos_id(), 1000);
  Tokenizer copy = *back;
  EXPECT_EQ(copy.encode(s).ids, e.ids);
  auto cut = Tokenizer::from_serialized(tok->serialized().substr(0, 100), "checkpoint c.pt");
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().find("checkpoint c.pt"), std::string::npos) << cut.error();
  auto missing = Tokenizer::load(dir->file("nope.json"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nope.json"), std::string::npos);
}

}  // namespace
}  // namespace stepcoder::model
