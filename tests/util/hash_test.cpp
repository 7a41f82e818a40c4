// Content hashes: parts are length-prefixed; a file's hash is read as a stream.
#include "util/hash.h"

#include <gtest/gtest.h>

#include "util/files.h"

namespace stepcoder {
namespace {

TEST(HashTest, PartsAreLengthPrefixed) {
  EXPECT_NE(hash_hex({"ab", "c"}), hash_hex({"a", "bc"}));
  EXPECT_EQ(hash_hex({"ab", "c"}), hash_hex({"ab", "c"}));
  EXPECT_EQ(hash_hex({"x"}).size(), 32u);
}

// Files larger than the read buffer (1 MiB): a change in the last byte changes the hash, and
// equal bytes in two files give equal hashes.
TEST(HashTest, FileHashCoversEveryByteOfALargeFile) {
  auto dir = TempDir::create("hash-test");
  ASSERT_TRUE(dir) << dir.error();
  std::string bytes(3 * (1 << 20) + 7, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 131 % 251);
  ASSERT_TRUE(write_file_atomic(dir->file("a.bin"), bytes));
  ASSERT_TRUE(write_file_atomic(dir->file("b.bin"), bytes));
  bytes.back() ^= 1;
  ASSERT_TRUE(write_file_atomic(dir->file("c.bin"), bytes));
  auto a = file_hash_hex(dir->file("a.bin")), b = file_hash_hex(dir->file("b.bin")), c = file_hash_hex(dir->file("c.bin"));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_EQ(a->size(), 32u);
}

TEST(HashTest, MissingFileErrorNamesIt) {
  auto h = file_hash_hex("/nonexistent/stepcoder/ckpt.pt");
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().find("/nonexistent/stepcoder/ckpt.pt"), std::string::npos);
}

}  // namespace
}  // namespace stepcoder
