// Tokenizer: exact round trips, byte offsets, code-aware pieces, determinism, bad files.
#include "model/tokenizer.h"

#include <gtest/gtest.h>

#include "tests/model/test_corpus.h"
#include "util/files.h"

namespace stepcoder::model {
namespace {

class TokenizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TokenizerTrainOptions o;
    o.vocab_size = 600;
    auto t = Tokenizer::train(testing::synthetic_texts(60), o);
    ASSERT_TRUE(t) << t.error();
    tok_ = new Tokenizer(std::move(*t));
  }
  static void TearDownTestSuite() { delete tok_; }
  static Tokenizer* tok_;
};
Tokenizer* TokenizerTest::tok_ = nullptr;

TEST_F(TokenizerTest, RoundTripsAnyBytesWithSpans) {
  const std::string texts[] = {
      "int main() {\n    return 0;\n}\n", "  x_y += 10;\n\n\tq", "\xF0\x9F\x98\x80 unseen WORDS zz",
      std::string("nul\0byte", 8), "a    b   \n        \n", "x->y::z <<= 3 ... != ==="};
  for (const std::string& s : texts) {
    Encoding e = tok_->encode(s);
    EXPECT_EQ(tok_->decode(e.ids), s);
    ASSERT_EQ(e.ids.size(), e.spans.size());
    int pos = 0;
    for (size_t i = 0; i < e.ids.size(); ++i) {
      EXPECT_EQ(e.spans[i].begin, pos);
      EXPECT_EQ(s.substr(e.spans[i].begin, e.spans[i].end - e.spans[i].begin), tok_->token_text(e.ids[i]));
      pos = e.spans[i].end;
    }
    EXPECT_EQ(pos, static_cast<int>(s.size()));
  }
}

TEST_F(TokenizerTest, PiecesAreWordsOperatorsDigitsAndIndentation) {
  Encoding e = tok_->encode("    return result + 7;\n}");
  std::vector<std::string> pieces;
  for (int id : e.ids) pieces.push_back(tok_->token_text(id));
  std::vector<std::string> want = {"    ", "return", " result", " +", " 7", ";", "\n", "}"};
  EXPECT_EQ(pieces, want);
  Encoding u = tok_->encode(" add_values");
  ASSERT_EQ(u.ids.size(), 3u);
  EXPECT_EQ(tok_->token_text(u.ids[0]), " add");
  EXPECT_EQ(tok_->token_text(u.ids[1]), "_");
  EXPECT_EQ(tok_->decode({tok_->eos_id()}), "");
}

TEST_F(TokenizerTest, TrainingIsDeterministicAndSnakeCaseCanStayWhole) {
  TokenizerTrainOptions o;
  o.vocab_size = 600;
  auto a = Tokenizer::train(testing::synthetic_texts(60), o);
  ASSERT_TRUE(a) << a.error();
  ASSERT_EQ(a->vocab_size(), tok_->vocab_size());
  for (int id = 0; id < a->vocab_size(); ++id) ASSERT_EQ(a->piece(id), tok_->piece(id)) << id;
  o.split_underscore = false;
  auto whole = Tokenizer::train(testing::synthetic_texts(60), o);
  ASSERT_TRUE(whole) << whole.error();
  EXPECT_FALSE(whole->pretok_options().split_underscore);
  auto snake_pieces = [](const Tokenizer& t) {
    int n = 0;
    for (int id = 0; id < t.vocab_size(); ++id)
      n += t.token_text(id).size() > 1 && t.token_text(id).find('_') != std::string::npos;
    return n;
  };
  EXPECT_EQ(snake_pieces(*tok_), 0);
  EXPECT_GT(snake_pieces(*whole), 0);
  EXPECT_EQ(whole->decode(whole->encode("x_y_z += 1").ids), "x_y_z += 1");
}

TEST_F(TokenizerTest, SaveLoadAndBadFiles) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  ASSERT_TRUE(tok_->save(dir->file("tok.model")));
  auto back = Tokenizer::load(dir->file("tok.model"));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->encode("int x = 1;").ids, tok_->encode("int x = 1;").ids);

  auto missing = Tokenizer::load(dir->file("nope.model"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nope.model"), std::string::npos) << missing.error();
  ASSERT_TRUE(write_file_atomic(dir->file("bad.model"), "this is not a protobuf"));
  auto bad = Tokenizer::load(dir->file("bad.model"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("bad.model"), std::string::npos) << bad.error();
}

TEST(TokenizerTrainTest, EmptyCorpusIsAnError) {
  auto t = Tokenizer::train({"+-*", ""}, TokenizerTrainOptions{});
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().find("no words"), std::string::npos) << t.error();
}

}  // namespace
}  // namespace stepcoder::model
