// The box's namespaces and filesystem view: see box_view.h. Runs once per box, in the box's own
// (single-threaded, trusted) process, so ordinary library calls are fine here.
#include "sandbox/box_view.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include "sandbox/box_protocol.h"
#include "util/files.h"

namespace stepcoder::sandbox::box {

namespace {

Status write_proc(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return SysError("open " + path);
  ssize_t n = ::write(fd, text.data(), text.size());
  int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) return SysError("write " + path, err);
  return {};
}

// Not root: a user namespace in which this process is root, mapped to the caller's own uid and
// gid (the one mapping an unprivileged process may write), so it may mount and create the
// other namespaces. Every process of the box then runs as that one uid; the PID namespace and
// the seccomp policy keep them apart.
Status enter_user_namespace() {
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  if (::unshare(CLONE_NEWUSER) != 0) return SysError("unshare(CLONE_NEWUSER)");
  if (Status st = write_proc("/proc/self/setgroups", "deny"); !st) return st;
  if (Status st = write_proc("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1\n"); !st)
    return st;
  return write_proc("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1\n");
}

Status mount_at(const char* src, const std::string& dst, const char* type, unsigned long flags,
                const char* data = nullptr) {
  if (::mount(src, dst.c_str(), type, flags, data) != 0)
    return SysError(std::string("mount ") + (src ? src : type ? type : "") + " on " + dst);
  return {};
}

// A bind mount, nosuid and nodev, read-only unless `writable`. Remounting must keep the flags
// the kernel locked on the source mount (in a user namespace it refuses to clear noexec or the
// atime flags), so they are read back and kept.
Status bind_mount(const std::string& src, const std::string& dst, bool writable = false) {
  if (Status st = mount_at(src.c_str(), dst, nullptr, MS_BIND); !st) return st;
  struct statvfs sv;
  if (::statvfs(dst.c_str(), &sv) != 0) return SysError("statvfs " + dst);
  unsigned long keep = 0;
  if (sv.f_flag & ST_NOEXEC) keep |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) keep |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) keep |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) keep |= MS_RELATIME;
  if (!writable) keep |= MS_RDONLY;
  return mount_at(nullptr, dst, nullptr, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | keep);
}

Status make_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return SysError("create " + path);
  ::close(fd);
  return {};
}

// The toolchain: /usr read-only, and whatever of /bin, /lib... the host has, as the same links
// (Debian's merged /usr) or as read-only binds.
Status mount_toolchain(const std::string& root) {
  if (Status st = make_dirs(root + "/usr"); !st) return st;
  if (Status st = bind_mount("/usr", root + "/usr"); !st) return st;
  for (const char* name : {"bin", "sbin", "lib", "lib32", "lib64", "libx32"}) {
    std::string host = std::string("/") + name, inside = root + "/" + name;
    struct stat st;
    if (::lstat(host.c_str(), &st) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      char target[256];
      ssize_t n = ::readlink(host.c_str(), target, sizeof target - 1);
      if (n <= 0) return SysError("readlink " + host);
      target[n] = 0;
      if (::symlink(target, inside.c_str()) != 0) return SysError("symlink " + inside);
    } else if (S_ISDIR(st.st_mode)) {
      if (Status s = make_dirs(inside); !s) return s;
      if (Status s = bind_mount(host, inside); !s) return s;
    }
  }
  // The dynamic loader finds Debian's multiarch libraries through its cache.
  if (Status st = make_dirs(root + "/etc"); !st) return st;
  if (file_exists("/etc/ld.so.cache")) {
    if (Status st = make_file(root + "/etc/ld.so.cache"); !st) return st;
    if (Status st = bind_mount("/etc/ld.so.cache", root + "/etc/ld.so.cache"); !st) return st;
  }
  return {};
}

Status mount_devices_and_proc(const std::string& root) {
  if (Status st = make_dirs(root + "/dev"); !st) return st;
  for (const char* dev : {"null", "zero", "random", "urandom"}) {
    std::string host = std::string("/dev/") + dev, inside = root + "/dev/" + dev;
    if (Status st = make_file(inside); !st) return st;
    if (Status st = mount_at(host.c_str(), inside, nullptr, MS_BIND); !st) return st;
  }
  if (Status st = make_dirs(root + "/proc"); !st) return st;
  // This PID namespace's processes only: the box, and whatever runs in this slot.
  if (Status st = mount_at("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC); !st)
    return st;
  if (Status st = make_dirs(root + "/tmp"); !st) return st;
  return mount_at("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=64m");
}

Status pivot(const std::string& root) {
  std::string old = root + "/.old";
  if (Status st = make_dirs(old); !st) return st;
  if (::syscall(SYS_pivot_root, root.c_str(), old.c_str()) != 0) return SysError("pivot_root " + root);
  if (::chdir("/") != 0) return SysError("chdir /");
  if (::umount2("/.old", MNT_DETACH) != 0) return SysError("umount the old root");
  if (::rmdir("/.old") != 0) return SysError("rmdir /.old");
  // Nothing may create files in the view outside the work directory and /tmp.
  return mount_at(nullptr, "/", nullptr, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV);
}

}  // namespace

Status enter_namespaces() {
  if (::geteuid() != 0) {
    if (Status st = enter_user_namespace(); !st) return st;
  }
  if (::unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) != 0)
    return SysError("unshare(mount, PID, network, IPC and UTS namespaces)");
  pid_t init = ::fork();
  if (init < 0) return SysError("fork");
  if (init == 0) {
    // PID 1 of the new namespace; it ends with the judge (the control socket's EOF) or with
    // this parent.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    return {};
  }
  ::close(kControlFd);  // only PID 1 holds the box's end, so its exit is the judge's EOF
  int status = 0;
  while (::waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
  ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

Status build_view(const ViewSpec& spec) {
  // Mounts made here stay in this namespace.
  if (Status st = mount_at(nullptr, "/", nullptr, MS_REC | MS_PRIVATE); !st) return st;
  const std::string& root = spec.root;
  if (Status st = mount_at("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=16m"); !st)
    return st;
  if (Status st = mount_toolchain(root); !st) return st;
  if (Status st = mount_devices_and_proc(root); !st) return st;
  if (Status st = make_dirs(root + spec.work); !st) return st;
  if (Status st = bind_mount(spec.work, root + spec.work, /*writable=*/true); !st) return st;
  for (const std::string& dir : spec.readonly) {
    if (Status st = make_dirs(root + dir); !st) return st;
    if (Status st = bind_mount(dir, root + dir); !st) return st;
  }
  if (Status st = make_dirs(root + "/empty"); !st) return st;
  if (::sethostname("stepcoder-box", 13) != 0) return SysError("sethostname");
  return pivot(root);
}

}  // namespace stepcoder::sandbox::box
