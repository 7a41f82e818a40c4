// The episode store reads stores written before a column existed, and adds it on the first
// write, so runs trained earlier stay readable by replay and resumable.
#include "run/episode_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "util/files.h"

namespace stepcoder::curriculum {
namespace {

// The schema before `isolation` (where the tests of an episode ran) was recorded.
const char* kOldSchema = R"(
CREATE TABLE episodes (
  step INTEGER NOT NULL, idx INTEGER NOT NULL, task_id TEXT NOT NULL,
  stage INTEGER NOT NULL, stages INTEGER NOT NULL, prompt TEXT NOT NULL, completion TEXT NOT NULL,
  verdict TEXT NOT NULL, reward REAL NOT NULL, task_reward REAL NOT NULL, pass_ratio REAL NOT NULL, kl REAL NOT NULL,
  tokens INTEGER NOT NULL, kept_fraction REAL NOT NULL, mask TEXT NOT NULL, token_ends TEXT NOT NULL, lines TEXT NOT NULL,
  message TEXT NOT NULL, PRIMARY KEY (step, idx));
INSERT INTO episodes VALUES (0, 0, 'a/1', 1, 1, 'p', 'c', 'failed', -0.3, -0.3, 0.5, 0, 1, 1, '1', '1', '.', 'old');
)";

TEST(EpisodeStoreTest, StoresFromBeforeTheIsolationColumnReadAndGrowIt) {
  auto dir = TempDir::create("stepcoder-store");
  ASSERT_TRUE(dir);
  std::string path = dir->file("episodes.sqlite");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, kOldSchema, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto store = run::EpisodeStore::open(path);
  ASSERT_TRUE(store) << store.error();
  auto rows = (*store)->read();
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].message, "old");
  EXPECT_EQ((*rows)[0].isolation, "");
  run::EpisodeRow r;
  r.step = 1, r.task_id = "a/1", r.verdict = "passed", r.isolation = "split";
  ASSERT_TRUE((*store)->append({r}).ok());
  rows = (*store)->read();
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].isolation, "");
  EXPECT_EQ((*rows)[1].isolation, "split");
}

}  // namespace
}  // namespace stepcoder::curriculum
