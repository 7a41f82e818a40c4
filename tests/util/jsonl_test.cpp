// JSON Lines reader and UTF-8 validation.
#include "util/jsonl.h"

#include <gtest/gtest.h>

#include "util/files.h"

namespace stepcoder {
namespace {

TEST(JsonlTest, ReadsRowsWithLineNumbers) {
  auto dir = TempDir::create("jsonl-test");
  ASSERT_TRUE(dir);
  std::string p = dir->file("a.jsonl");
  ASSERT_TRUE(write_file_atomic(p, "{\"a\":1}\n\n{\"a\":2}\n"));
  auto f = read_jsonl(p);
  ASSERT_TRUE(f) << f.error();
  ASSERT_EQ(f->rows.size(), 2u);
  EXPECT_EQ(f->rows[0].line, 1);
  EXPECT_EQ(f->rows[1].line, 3);
  EXPECT_EQ(f->rows[1].value["a"], 2);
}

TEST(JsonlTest, MalformedLineNamesFileAndLine) {
  auto dir = TempDir::create("jsonl-test");
  ASSERT_TRUE(dir);
  std::string p = dir->file("bad.jsonl");
  ASSERT_TRUE(write_file_atomic(p, "{\"a\":1}\n{\"a\":\n[1,2]\n"));
  auto f = read_jsonl(p);
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().find("bad.jsonl:2: not valid JSON"), std::string::npos) << f.error();
  auto skipped = read_jsonl(p, {/*skip_bad=*/true});
  ASSERT_TRUE(skipped);
  EXPECT_EQ(skipped->rows.size(), 1u);
  EXPECT_EQ(skipped->skipped, 2);
  EXPECT_NE(skipped->warnings[1].find(":3: expected a JSON object"), std::string::npos);
}

TEST(JsonlTest, Utf8Validation) {
  size_t off = 0;
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(valid_utf8(std::string("a\0b", 3), &off));
  EXPECT_EQ(off, 1u);
  EXPECT_FALSE(valid_utf8("ab\xff", &off));
  EXPECT_EQ(off, 2u);
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xe2\x82"));          // truncated
}

}  // namespace
}  // namespace stepcoder
