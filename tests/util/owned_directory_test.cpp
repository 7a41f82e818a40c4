// The cache directory in a place every user can write to (/tmp), which another user may have
// made first: util/files.h owned_directory() uses it only when it is this user's alone, and
// never through a planted link or with a planted file.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "util/files.h"

namespace stepcoder {
namespace {

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
  EXPECT_EQ(owned_directory(want), got) << "every cache of the process shares the one fresh directory";
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
