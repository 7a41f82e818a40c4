// File helpers: atomic writes, temp dirs, gzip reads, and the cache directory in a shared /tmp,
// which another user may have made first.
#include "util/files.h"

#include <sys/stat.h>
#include <unistd.h>

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

// The mode bits and owner of `path` (not following a link).
struct stat lstat_of(const std::string& path) {
  struct stat st = {};
  ::lstat(path.c_str(), &st);
  return st;
}

// A directory owned_directory() hands out: a real directory of this user, closed to others.
void expect_private(const std::string& path) {
  const struct stat st = lstat_of(path);
  EXPECT_TRUE(S_ISDIR(st.st_mode)) << path;
  EXPECT_EQ(st.st_uid, ::geteuid()) << path;
  EXPECT_EQ(st.st_mode & 077, 0u) << path;
}

TEST(OwnedDirectoryTest, AnAbsentDirectoryIsMadePrivate) {
  auto dir = TempDir::create("owned-dir");
  ASSERT_TRUE(dir) << dir.error();
  const std::string want = dir->file("cache");
  EXPECT_EQ(owned_directory(want), want);
  expect_private(want);
  EXPECT_EQ(owned_directory(want), want) << "its own directory is used again";
}

TEST(OwnedDirectoryTest, AWorldWritableDirectoryIsNotUsed) {
  auto dir = TempDir::create("owned-dir");
  ASSERT_TRUE(dir) << dir.error();
  const std::string want = dir->file("cache");
  ASSERT_EQ(::mkdir(want.c_str(), 0777), 0);
  ASSERT_EQ(::chmod(want.c_str(), 0777), 0);
  const std::string got = owned_directory(want);
  EXPECT_NE(got, want);
  EXPECT_EQ(got.rfind(want + "-", 0), 0u) << got;
  expect_private(got);
}

TEST(OwnedDirectoryTest, ALinkPlantedAtThePathIsNotFollowed) {
  auto dir = TempDir::create("owned-dir");
  ASSERT_TRUE(dir) << dir.error();
  const std::string target = dir->file("attacker"), want = dir->file("cache");
  ASSERT_EQ(::mkdir(target.c_str(), 0700), 0);
  ASSERT_EQ(::symlink(target.c_str(), want.c_str()), 0);
  const std::string got = owned_directory(want);
  EXPECT_NE(got, want);
  expect_private(got);
}

TEST(OwnedDirectoryTest, ADirectoryAnotherUserMadeFirstIsNotUsed) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to make a directory of another user";
  auto dir = TempDir::create("owned-dir");
  ASSERT_TRUE(dir) << dir.error();
  const std::string want = dir->file("cache");
  ASSERT_EQ(::mkdir(want.c_str(), 0700), 0);
  ASSERT_EQ(::chown(want.c_str(), 65534, 65534), 0);  // nobody's, with a planted entry
  ASSERT_TRUE(write_file_atomic(want + "/planted.pch", "#define int long\n"));
  const std::string got = owned_directory(want);
  EXPECT_NE(got, want);
  expect_private(got);
  EXPECT_FALSE(file_exists(got + "/planted.pch"));
}

}  // namespace
}  // namespace stepcoder
