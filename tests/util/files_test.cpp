// File helpers: atomic writes, temp dirs, gzip reads.
#include "util/files.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>

namespace stepcoder {
namespace {

TEST(FilesTest, AtomicWriteReplacesWholeFile) {
  auto dir = TempDir::create("files-test");
  ASSERT_TRUE(dir) << dir.error();
  std::string p = dir->file("a.txt");
  ASSERT_TRUE(write_file_atomic(p, "first"));
  ASSERT_TRUE(write_file_atomic(p, "second"));
  auto r = read_file(p);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "second");
  // No temporary left beside it.
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir->path())) (void)e, ++n;
  EXPECT_EQ(n, 1);
}

TEST(FilesTest, MissingFileErrorNamesPath) {
  auto r = read_file("/nonexistent/stepcoder/x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("/nonexistent/stepcoder/x"), std::string::npos);
  EXPECT_NE(r.error().find("No such file"), std::string::npos);
}

TEST(FilesTest, TempDirIsRemoved) {
  std::string path;
  {
    auto dir = TempDir::create("files-test");
    ASSERT_TRUE(dir);
    path = dir->path();
    ASSERT_TRUE(write_file_atomic(dir->file("x"), "y"));
    EXPECT_TRUE(file_exists(path));
  }
  EXPECT_FALSE(file_exists(path));
}

TEST(FilesTest, ReadsGzip) {
  auto dir = TempDir::create("files-test");
  ASSERT_TRUE(dir);
  std::string p = dir->file("a.gz");
  gzFile f = gzopen(p.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzputs(f, "hello\nworld\n");
  gzclose(f);
  auto r = read_maybe_gz(p);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, "hello\nworld\n");
  // A non-gzip file with a .gz name is read as is by zlib (transparent mode), not a crash.
  ASSERT_TRUE(write_file_atomic(p, "plain"));
  auto plain = read_maybe_gz(p);
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, "plain");
}

}  // namespace
}  // namespace stepcoder
