// Small file-system helpers: whole-file reads, crash-safe writes, temporary directories.
// write_file_atomic writes to a temporary name, fsyncs and renames, so readers see the old
// file or the new one, never a torn one.
#pragma once

#include <string>

#include "util/expected.h"

namespace stepcoder {

Expected<std::string> read_file(const std::string& path);
// Reads a file, transparently gunzipping when the name ends in ".gz".
Expected<std::string> read_maybe_gz(const std::string& path);
Status write_file_atomic(const std::string& path, const std::string& data);
Status make_dirs(const std::string& path);
bool file_exists(const std::string& path);
bool is_directory(const std::string& path);
// The project's cache directory for one kind of cached thing ("" for the root):
// $XDG_CACHE_HOME/stepcoder/SUB, else $HOME/.cache/stepcoder/SUB, else
// owned_directory("/tmp/stepcoder-cache-UID")/SUB.
std::string cache_home(const std::string& sub = "");
// A directory in a place every user can write to (/tmp) that only this user controls: `want`
// when it is a real directory (not a symlink) owned by this user and closed to everyone else
// (created so when absent); else, with one warning, a fresh one beside it, the same for every
// call of this process. Another user who made `want` first cannot plant cached compilations or
// headers in it.
std::string owned_directory(const std::string& want);

// A directory removed with its contents when the object goes out of scope.
class TempDir {
 public:
  // Creates a fresh directory under $TMPDIR (or /tmp) named prefix-XXXXXX.
  static Expected<TempDir> create(const std::string& prefix = "stepcoder");
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir& operator=(TempDir&& o) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  explicit TempDir(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

// Removes a directory tree; missing paths are not an error.
Status remove_tree(const std::string& path);

// A helper program shipped with stepcoder (stepcoder-box, stepcoder-instrument): in
// $STEPCODER_HELPERS when set, next to the running executable, else in the build directory
// it was built in.
Expected<std::string> find_helper(const std::string& name);

}  // namespace stepcoder
