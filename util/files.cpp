// File helpers: see files.h.
#include "util/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

namespace stepcoder {

namespace fs = std::filesystem;

Expected<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SysError("open " + path);
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Error("open " + path + ": is a directory");
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return SysError("read " + path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

static bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Expected<std::string> read_maybe_gz(const std::string& path) {
  if (!ends_with(path, ".gz")) return read_file(path);
  if (!file_exists(path)) return SysError("open " + path, ENOENT);
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return SysError("gzopen " + path);
  std::string out;
  std::vector<char> buf(1 << 16);
  for (;;) {
    int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int errnum = 0;
      std::string msg = gzerror(f, &errnum);
      gzclose(f);
      return Error("gunzip " + path + ": " + msg);
    }
    if (n == 0) break;
    out.append(buf.data(), static_cast<size_t>(n));
  }
  gzclose(f);
  return out;
}

static Status write_all(int fd, const std::string& data, const std::string& what) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return SysError("write " + what);
    }
    off += static_cast<size_t>(n);
  }
  return {};
}

Status write_file_atomic(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return SysError("create " + tmp);
  Status st = write_all(fd, data, tmp);
  if (st && ::fsync(fd) != 0) st = SysError("fsync " + tmp);
  if (::close(fd) != 0 && st) st = SysError("close " + tmp);
  if (st && ::rename(tmp.c_str(), path.c_str()) != 0) st = SysError("rename " + tmp + " -> " + path);
  if (!st) {
    ::unlink(tmp.c_str());
    return st;
  }
  // Make the rename itself durable.
  std::string dir = fs::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

Status make_dirs(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Error("mkdir " + path + ": " + ec.message());
  return {};
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string cache_home(const std::string& sub) {
  std::string root;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) root = std::string(x) + "/stepcoder";
  else if (const char* h = std::getenv("HOME"); h && *h) root = std::string(h) + "/.cache/stepcoder";
  else root = owned_directory("/tmp/stepcoder-cache-" + std::to_string(::getuid()));
  return sub.empty() ? root : root + "/" + sub;
}

namespace {

std::string choose_owned_directory(const std::string& want) {
  ::mkdir(want.c_str(), 0700);
  struct stat st;
  if (::lstat(want.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() && (st.st_mode & 077) == 0)
    return want;
  std::vector<char> buf(want.begin(), want.end());
  for (char c : std::string("-XXXXXX")) buf.push_back(c);
  buf.push_back('\0');
  // No directory can ever exist below /dev/null: the cache cannot be written, and nobody can
  // make it exist first.
  if (!::mkdtemp(buf.data())) return "/dev/null/stepcoder-cache";
  std::fprintf(stderr, "stepcoder: %s is not a private directory of this user (owner, mode or a link); "
               "caching in %s instead\n", want.c_str(), buf.data());
  return buf.data();
}

}  // namespace

std::string owned_directory(const std::string& want) {
  // Chosen once per process: every cache of the process then shares one fresh directory (and
  // one warning) instead of making its own.
  static std::mutex mu;
  static std::map<std::string, std::string> chosen;
  std::lock_guard<std::mutex> lock(mu);
  auto it = chosen.find(want);
  if (it == chosen.end()) it = chosen.emplace(want, choose_owned_directory(want)).first;
  return it->second;
}

Status remove_tree(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return Error("remove " + path + ": " + ec.message());
  return {};
}

Expected<TempDir> TempDir::create(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) return SysError("mkdtemp " + tmpl);
  return TempDir(std::string(buf.data()));
}

TempDir& TempDir::operator=(TempDir&& o) noexcept {
  if (this != &o) {
    if (!path_.empty()) (void)remove_tree(path_);
    path_ = std::move(o.path_);
    o.path_.clear();
  }
  return *this;
}

TempDir::~TempDir() {
  if (!path_.empty()) (void)remove_tree(path_);
}

Expected<std::string> find_helper(const std::string& name) {
  std::vector<std::string> dirs;
  if (const char* d = std::getenv("STEPCODER_HELPERS"); d && *d) dirs.push_back(d);
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(self.parent_path().string());
#ifdef STEPCODER_HELPER_DIR
  dirs.push_back(STEPCODER_HELPER_DIR);
#endif
  for (const auto& d : dirs) {
    std::string p = d + "/" + name;
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  std::string tried;
  for (const auto& d : dirs) tried += (tried.empty() ? "" : ", ") + d;
  return Error(name + " not found (looked in " + tried + "); it is built with the rest: "
               "cmake --build build");
}

}  // namespace stepcoder
