// SQLite episode store (see episode_store.h).
#include "run/episode_store.h"

#include <sqlite3.h>

namespace stepcoder::run {
namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS episodes (
  step INTEGER NOT NULL, idx INTEGER NOT NULL, task_id TEXT NOT NULL,
  stage INTEGER NOT NULL, stages INTEGER NOT NULL, prompt TEXT NOT NULL, completion TEXT NOT NULL,
  verdict TEXT NOT NULL, reward REAL NOT NULL, task_reward REAL NOT NULL, pass_ratio REAL NOT NULL, kl REAL NOT NULL,
  tokens INTEGER NOT NULL, kept_fraction REAL NOT NULL, mask TEXT NOT NULL, token_ends TEXT NOT NULL, lines TEXT NOT NULL,
  message TEXT NOT NULL, isolation TEXT NOT NULL DEFAULT '', PRIMARY KEY (step, idx));
)";

constexpr const char* kColumns =
    "step, idx, task_id, stage, stages, prompt, completion, verdict, reward, task_reward, pass_ratio, kl, "
    "tokens, kept_fraction, mask, token_ends, lines, message, isolation";
// The same for reading a store from before the isolation column.
constexpr const char* kColumnsWithoutIsolation =
    "step, idx, task_id, stage, stages, prompt, completion, verdict, reward, task_reward, pass_ratio, kl, "
    "tokens, kept_fraction, mask, token_ends, lines, message, ''";

// A prepared statement that finalizes itself.
struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

void bind_row(sqlite3_stmt* s, const EpisodeRow& r) {
  sqlite3_bind_int64(s, 1, r.step), sqlite3_bind_int(s, 2, r.index), bind_text(s, 3, r.task_id);
  sqlite3_bind_int(s, 4, r.stage), sqlite3_bind_int(s, 5, r.stages), bind_text(s, 6, r.prompt);
  bind_text(s, 7, r.completion), bind_text(s, 8, r.verdict), sqlite3_bind_double(s, 9, r.reward);
  sqlite3_bind_double(s, 10, r.task_reward), sqlite3_bind_double(s, 11, r.pass_ratio);
  sqlite3_bind_double(s, 12, r.kl), sqlite3_bind_int(s, 13, r.tokens), sqlite3_bind_double(s, 14, r.kept_fraction);
  bind_text(s, 15, r.mask), bind_text(s, 16, r.token_ends), bind_text(s, 17, r.lines), bind_text(s, 18, r.message);
  bind_text(s, 19, r.isolation);
}

std::string column_text(sqlite3_stmt* s, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

EpisodeRow read_row(sqlite3_stmt* s) {
  EpisodeRow r;
  r.step = sqlite3_column_int64(s, 0), r.index = sqlite3_column_int(s, 1), r.task_id = column_text(s, 2);
  r.stage = sqlite3_column_int(s, 3), r.stages = sqlite3_column_int(s, 4), r.prompt = column_text(s, 5);
  r.completion = column_text(s, 6), r.verdict = column_text(s, 7), r.reward = sqlite3_column_double(s, 8);
  r.task_reward = sqlite3_column_double(s, 9), r.pass_ratio = sqlite3_column_double(s, 10);
  r.kl = sqlite3_column_double(s, 11), r.tokens = sqlite3_column_int(s, 12);
  r.kept_fraction = sqlite3_column_double(s, 13), r.mask = column_text(s, 14);
  r.token_ends = column_text(s, 15), r.lines = column_text(s, 16), r.message = column_text(s, 17);
  r.isolation = column_text(s, 18);
  return r;
}

}  // namespace

Expected<std::unique_ptr<EpisodeStore>> EpisodeStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error(path + ": cannot open episode store: " + why);
  }
  std::unique_ptr<EpisodeStore> store(new EpisodeStore(db, path));
  sqlite3_busy_timeout(db, 5000);
  // WAL: a reader (report, replay) never blocks the trainer; synchronous=NORMAL keeps every
  // committed step across a process crash (only an OS crash may lose the last commits).
  if (Status st = store->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); !st) return Error(st.error());
  if (Status st = store->exec(kSchema); !st) return Error(st.error());
  Stmt info;
  if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM pragma_table_info('episodes') WHERE name = 'isolation'", -1,
                         &info.s, nullptr) == SQLITE_OK &&
      sqlite3_step(info.s) == SQLITE_ROW)
    store->has_isolation_ = sqlite3_column_int(info.s, 0) > 0;
  return store;
}

Status EpisodeStore::add_isolation_column() {
  if (has_isolation_) return {};
  if (Status st = exec("ALTER TABLE episodes ADD COLUMN isolation TEXT NOT NULL DEFAULT ''"); !st) return st;
  has_isolation_ = true;
  return {};
}

EpisodeStore::~EpisodeStore() { sqlite3_close(db_); }

Status EpisodeStore::exec(const std::string& sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return {};
  std::string why = err ? err : sqlite3_errmsg(db_);
  sqlite3_free(err);
  return Error(path_ + ": " + why);
}

Status EpisodeStore::append(const std::vector<EpisodeRow>& rows) {
  if (Status st = add_isolation_column(); !st) return st;
  if (Status st = exec("BEGIN IMMEDIATE"); !st) return st;
  Stmt ins;
  const std::string sql =
      std::string("INSERT INTO episodes (") + kColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  bool ok = sqlite3_prepare_v2(db_, sql.c_str(), -1, &ins.s, nullptr) == SQLITE_OK;
  for (size_t i = 0; ok && i < rows.size(); ++i) {
    sqlite3_reset(ins.s);
    bind_row(ins.s, rows[i]);
    ok = sqlite3_step(ins.s) == SQLITE_DONE;
  }
  if (!ok) {
    std::string why = path_ + ": cannot store episodes: " + sqlite3_errmsg(db_);
    (void)exec("ROLLBACK");  // the insert error is the one to report
    return Error(why);
  }
  return exec("COMMIT");
}

Status EpisodeStore::truncate_after(int64_t step) {
  return exec("DELETE FROM episodes WHERE step > " + std::to_string(step));
}

Expected<std::vector<EpisodeRow>> EpisodeStore::read(int64_t from_step, int64_t to_step) const {
  Stmt q;
  const std::string sql = std::string("SELECT ") + (has_isolation_ ? kColumns : kColumnsWithoutIsolation) +
                          " FROM episodes WHERE step >= ? AND step <= ? ORDER BY step, idx";
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &q.s, nullptr) != SQLITE_OK)
    return Error(path_ + ": " + sqlite3_errmsg(db_));
  sqlite3_bind_int64(q.s, 1, from_step), sqlite3_bind_int64(q.s, 2, to_step);
  std::vector<EpisodeRow> rows;
  int rc;
  while ((rc = sqlite3_step(q.s)) == SQLITE_ROW) rows.push_back(read_row(q.s));
  if (rc != SQLITE_DONE) return Error(path_ + ": " + sqlite3_errmsg(db_));
  return rows;
}

Expected<std::vector<ScheduleRow>> EpisodeStore::read_schedule() const {
  Stmt q;
  const char* sql = "SELECT step, idx, task_id, stage, stages FROM episodes ORDER BY step, idx";
  if (sqlite3_prepare_v2(db_, sql, -1, &q.s, nullptr) != SQLITE_OK) return Error(path_ + ": " + sqlite3_errmsg(db_));
  std::vector<ScheduleRow> rows;
  int rc;
  while ((rc = sqlite3_step(q.s)) == SQLITE_ROW) {
    ScheduleRow r;
    r.step = sqlite3_column_int64(q.s, 0), r.index = sqlite3_column_int(q.s, 1), r.task_id = column_text(q.s, 2);
    r.stage = sqlite3_column_int(q.s, 3), r.stages = sqlite3_column_int(q.s, 4);
    rows.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return Error(path_ + ": " + sqlite3_errmsg(db_));
  return rows;
}

namespace {
Expected<int64_t> scalar(sqlite3* db, const std::string& path, const char* sql) {
  Stmt q;
  if (sqlite3_prepare_v2(db, sql, -1, &q.s, nullptr) != SQLITE_OK || sqlite3_step(q.s) != SQLITE_ROW)
    return Error(path + ": " + sqlite3_errmsg(db));
  return sqlite3_column_int64(q.s, 0);
}
}  // namespace

Expected<int64_t> EpisodeStore::count() const { return scalar(db_, path_, "SELECT COUNT(*) FROM episodes"); }

Expected<int64_t> EpisodeStore::last_step() const {
  return scalar(db_, path_, "SELECT COALESCE(MAX(step), -1) FROM episodes");
}

}  // namespace stepcoder::run
