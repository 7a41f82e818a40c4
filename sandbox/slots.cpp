// The pool of boxes: see slots.h.
#include "sandbox/slots.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace stepcoder::sandbox {

namespace {

constexpr int kUidBlocks = 256;

// Where judges on this machine leave their uid-block locks: /run/stepcoder, else (no /run)
// /tmp/stepcoder-uid-locks; root's own directory either way, never one another user made.
Expected<std::string> lock_dir() {
  for (const char* dir : {"/run/stepcoder", "/tmp/stepcoder-uid-locks"}) {
    if (::mkdir(dir, 0700) != 0 && errno != EEXIST) continue;
    struct stat st;
    if (::lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 && (st.st_mode & 022) == 0)
      return std::string(dir);
  }
  return Error("no directory for uid-block locks (/run/stepcoder or /tmp/stepcoder-uid-locks, owned by root)");
}

// Slot directories of judges that died without cleaning up (SIGKILL): "stepcoder-slots-PID-*"
// of this user whose process is gone.
void remove_stale_slot_dirs(const std::string& tmp) {
  std::error_code ec;
  const std::string prefix = "stepcoder-slots-";
  for (const auto& e : std::filesystem::directory_iterator(tmp, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    struct stat st;
    if (pid <= 0 || ::lstat(e.path().c_str(), &st) != 0 || st.st_uid != ::geteuid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) (void)remove_tree(e.path().string());
  }
}

}  // namespace

Status SlotPool::claim_uid_block() {
  if (::geteuid() != 0) return {};
  auto dir = lock_dir();
  if (!dir) return Error(dir.error());
  for (int b = 0; b < kUidBlocks; ++b) {
    std::string path = *dir + "/uid-block-" + std::to_string(b) + ".lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return SysError("open " + path);
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      block_lock_ = fd;
      base_.uid_base += static_cast<uint32_t>(3 * max_ * b);
      return {};
    }
    ::close(fd);
  }
  return Error("every one of the " + std::to_string(kUidBlocks) + " uid blocks under " + *dir +
               " is held by another judge");
}

SlotPool::~SlotPool() {
  idle_.clear();  // the boxes end before the block of uids is given back
  if (block_lock_ >= 0) ::close(block_lock_);
}

std::pair<uint32_t, uint32_t> SlotPool::uid_range() const {
  if (::geteuid() != 0) return {0, 0};
  return {base_.uid_base, base_.uid_base + static_cast<uint32_t>(3 * max_) - 1};
}

Expected<std::unique_ptr<SlotPool>> SlotPool::create(const BoxOptions& base, int max) {
  const char* tmpdir = std::getenv("TMPDIR");
  remove_stale_slot_dirs(tmpdir && *tmpdir ? tmpdir : "/tmp");
  auto dir = TempDir::create("stepcoder-slots-" + std::to_string(::getpid()));
  if (!dir) return Error(dir.error());
  ::chmod(dir->path().c_str(), 0711);
  std::unique_ptr<SlotPool> pool(new SlotPool(base, std::max(1, max), std::move(*dir)));
  if (Status st = pool->claim_uid_block(); !st) return Error("sandbox uids: " + st.error());
  auto first = pool->acquire();
  if (!first) return Error(first.error());
  return pool;
}

Expected<SlotPool::Lease> SlotPool::acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto [box, slot] = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(box), slot);
    }
    int slot = -1;
    for (int i = 0; i < max_ && slot < 0; ++i)
      if (i >= static_cast<int>(used_.size()) || !used_[i]) slot = i;
    if (slot >= 0) {
      if (slot >= static_cast<int>(used_.size())) used_.resize(slot + 1, false);
      used_[slot] = true;
      lock.unlock();
      BoxOptions o = base_;
      o.slot = slot;
      o.dir = dir_.path() + "/slot-" + std::to_string(slot);
      auto box = Box::start(o);
      if (!box) {
        std::lock_guard<std::mutex> relock(mu_);
        used_[slot] = false;
        cv_.notify_one();
        return Error(box.error());
      }
      return Lease(this, std::move(*box), slot);
    }
    cv_.wait(lock);
  }
}

void SlotPool::release(std::unique_ptr<Box> box, int slot) {
  std::lock_guard<std::mutex> lock(mu_);
  if (box && !box->broken()) {
    idle_.emplace_back(std::move(box), slot);
  } else {
    box.reset();  // a broken box is replaced on next need
    used_[slot] = false;
  }
  cv_.notify_one();
}

SlotPool::Lease::~Lease() {
  if (pool_) pool_->release(std::move(box_), slot_);
}

}  // namespace stepcoder::sandbox
