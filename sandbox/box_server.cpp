// The box's serving loop and the set-up of each job's process: see box_server.h. The child's
// set-up is a flat list of steps, each returning 0 or an errno, like nsjail's containProc; the
// first failure is reported to the box through a close-on-exec pipe. The child starts in the
// box's memory (no page tables copied) and runs only async-signal-safe calls until exec.
#include "sandbox/box_server.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "sandbox/limits.h"

namespace stepcoder::sandbox::box {

namespace {

struct Running {
  uint32_t job;
  int status_fd;  // read end of the child's set-up status pipe
};

// The job's strings, split (pointers into the message).
struct JobStrings {
  std::vector<char*> argv, env;
  const char* cwd = "";
  const char* exec_path = "";
};

// Positional: argv (non-empty strings), "", env, "", cwd, exec_path.
bool split_strings(JobMessage& m, JobStrings& out) {
  uint32_t len = m.h.strings_len;
  if (len == 0 || len > kMaxStrings || m.strings[len - 1] != 0) return false;
  std::vector<char*> all;
  for (uint32_t i = 0; i < len; i += static_cast<uint32_t>(std::strlen(m.strings + i)) + 1)
    all.push_back(m.strings + i);
  size_t i = 0;
  while (i < all.size() && *all[i]) out.argv.push_back(all[i++]);
  if (out.argv.empty() || ++i > all.size()) return false;
  while (i < all.size() && *all[i]) out.env.push_back(all[i++]);
  if (i + 3 != all.size()) return false;  // the separator, cwd and exec_path remain
  out.cwd = all[i + 1];
  out.exec_path = all[i + 2];
  out.argv.push_back(nullptr);
  out.env.push_back(nullptr);
  return true;
}

// ---- the child: set-up steps ----

int place_fds(const JobHeader& h, const int* fds) {
  int lifted[kMaxJobFds];
  for (uint32_t i = 0; i < h.nfds; ++i)
    if ((lifted[i] = ::fcntl(fds[i], F_DUPFD_CLOEXEC, 64)) < 0) return errno;
  uint32_t plain = h.exec_by_fd ? h.nfds - 1 : h.nfds;
  for (uint32_t i = 0; i < plain; ++i)
    if (::dup2(lifted[i], h.fd_targets[i]) < 0) return errno;  // clears close-on-exec
  // The executable's descriptor stays close-on-exec: the program never sees it.
  if (h.exec_by_fd && ::dup3(lifted[h.nfds - 1], kExecFd, O_CLOEXEC) < 0) return errno;
  return 0;
}

// Closes every descriptor but the job's targets, the executable's and the status pipe, in as
// few system calls as the gaps between them.
void close_others(const JobHeader& h, int status_fd) {
  bool keep[64] = {};
  uint32_t plain = h.exec_by_fd ? h.nfds - 1 : h.nfds;
  for (uint32_t i = 0; i < plain; ++i) keep[h.fd_targets[i]] = true;
  if (h.exec_by_fd) keep[kExecFd] = true;
  unsigned from = 0;
  for (unsigned fd = 0; fd < 64; ++fd) {
    if (!keep[fd]) continue;
    if (fd > from) ::close_range(from, fd - 1, 0);
    from = fd + 1;
  }
  ::close_range(from, static_cast<unsigned>(status_fd) - 1, 0);
  ::close_range(static_cast<unsigned>(status_fd) + 1, ~0U, 0);
}

// The box sets no handlers and ignores nothing (it was started with every signal at its
// default), so the blocked SIGCHLD is all there is to undo.
int reset_signals() {
  sigset_t none;
  sigemptyset(&none);
  return ::sigprocmask(SIG_SETMASK, &none, nullptr) == 0 ? 0 : errno;
}

// Judged programs get an empty root: no path names anything.
int enter_root(Who who, const char* cwd) {
  if (who != Who::Compiler) {
    if (::chroot("/empty") != 0) return errno;
    return ::chdir("/") == 0 ? 0 : errno;
  }
  return ::chdir(*cwd ? cwd : "/") == 0 ? 0 : errno;
}

// Root: the Who's own uid and gid. In a user namespace (one uid), no capability survives: the
// bounding set is emptied, exec may not grant any (SECBIT_NOROOT) and the current sets are cleared.
int drop_identity(const Identity& id, Who who) {
  int w = static_cast<int>(who);
  if (!id.user_namespace) {
    if (::syscall(SYS_setgroups, 0, nullptr) != 0) return errno;
    if (::syscall(SYS_setresgid, id.gid[w], id.gid[w], id.gid[w]) != 0) return errno;
    if (::syscall(SYS_setresuid, id.uid[w], id.uid[w], id.uid[w]) != 0) return errno;
    return 0;
  }
  int bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
             SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;
  if (::prctl(PR_SET_SECUREBITS, bits) != 0) return errno;
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap)
    if (::prctl(PR_CAPBSET_DROP, cap) != 0 && errno != EINVAL) return errno;
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  return ::syscall(SYS_capset, &hdr, data) == 0 ? 0 : errno;
}

[[noreturn]] void fail_child(int status_fd, int err) {
  ssize_t ignored = ::write(status_fd, &err, sizeof err);
  (void)ignored;
  ::_exit(127);
}

#define STEP(expr)                          \
  do {                                      \
    if (int err_ = (expr)) fail_child(status_fd, err_); \
  } while (0)

// What the child needs, prepared by the box before it starts the child: the child shares the
// box's memory until it execs (CLONE_VM | CLONE_VFORK, as posix_spawn), so it allocates nothing.
struct ChildArgs {
  const JobHeader* h;
  const JobStrings* s;
  const int* fds;
  int status_fd;
  const Policy* policy;
  const Identity* id;
};

[[noreturn]] void run_job(const ChildArgs& a) {
  const JobHeader& h = *a.h;
  // Above every target, so placing descriptors cannot overwrite it.
  int status_fd = ::fcntl(a.status_fd, F_DUPFD_CLOEXEC, 200);
  if (status_fd < 0) ::_exit(127);
  Who who = static_cast<Who>(h.who);
  STEP(reset_signals());
  STEP(place_fds(h, a.fds));
  close_others(h, status_fd);
  STEP(enter_root(who, a.s->cwd));
  ChildLimits lim{h.cpu_ms, h.memory_bytes, h.stack_bytes, h.file_bytes, h.nofile};
  STEP(apply_limits(lim));
  STEP(drop_identity(*a.id, who));
  STEP(::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? 0 : errno);
  if (h.seccomp) STEP(a.policy->install_in_child());
  char* const* argv = a.s->argv.data();
  char* const* envp = a.s->env.data();
  if (h.exec_by_fd) ::syscall(SYS_execveat, kExecFd, "", argv, envp, AT_EMPTY_PATH);
  else ::execve(a.s->exec_path, argv, envp);
  fail_child(status_fd, errno);
}

int child_entry(void* p) { run_job(*static_cast<const ChildArgs*>(p)); }

// Starts the child on a stack of its own; the box sleeps until the child has exec'd (or failed).
pid_t start_child(ChildArgs& args) {
  constexpr size_t kStack = 256 << 10;
  static void* stack = ::mmap(nullptr, kStack, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  return ::clone(child_entry, static_cast<char*>(stack) + kStack, CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
}

#undef STEP

// ---- the box: receiving, starting, reaping ----

bool valid(const JobMessage& m, ssize_t n, int nfds) {
  if (n < static_cast<ssize_t>(sizeof(JobHeader))) return false;
  const JobHeader& h = m.h;
  if (h.magic != kMagic || h.who > 2 || h.nfds > static_cast<uint32_t>(kMaxJobFds)) return false;
  if (static_cast<int>(h.nfds) != nfds || (h.exec_by_fd && h.nfds == 0)) return false;
  uint32_t plain = h.exec_by_fd ? h.nfds - 1 : h.nfds;
  for (uint32_t i = 0; i < plain; ++i)
    if (h.fd_targets[i] < 0 || h.fd_targets[i] >= 64 || h.fd_targets[i] == kExecFd) return false;
  return h.strings_len <= static_cast<uint32_t>(n - static_cast<ssize_t>(sizeof(JobHeader)));
}

enum class Received { Job, Malformed, Eof, Broken };

// Receives one job and its descriptors.
Received receive(int control_fd, JobMessage& m, std::vector<int>& fds) {
  bool truncated = false;
  ssize_t n = receive_message(control_fd, &m, sizeof m, &fds, &truncated);
  if (n == 0) return Received::Eof;
  if (n < 0) return Received::Broken;
  if (truncated || !valid(m, n, static_cast<int>(fds.size()))) return Received::Malformed;
  return Received::Job;
}

EventMessage event(Event kind, uint32_t job) {
  EventMessage e;
  e.event = static_cast<uint32_t>(kind);
  e.job = job;
  return e;
}

void send_failed(int control_fd, uint32_t job, int err, const char* step) {
  EventMessage e = event(Event::Failed, job);
  e.error = err;
  std::snprintf(e.text, sizeof e.text, "%s", step);
  send_event(control_fd, e);
}

class Server {
 public:
  Server(int control_fd, const Policy& policy, const Identity& id)
      : control_(control_fd), policy_(policy), id_(id) {}
  int run();

 private:
  bool start_job();
  void reap();

  int control_;
  const Policy& policy_;
  const Identity& id_;
  std::map<pid_t, Running> running_;
  std::unique_ptr<JobMessage> msg_ = std::make_unique<JobMessage>();
};

bool Server::start_job() {
  std::vector<int> fds;
  Received got = receive(control_, *msg_, fds);
  auto close_all = [&] {
    for (int fd : fds) ::close(fd);
  };
  if (got != Received::Job) close_all();
  if (got == Received::Eof || got == Received::Broken) return false;  // the judge is gone
  if (got == Received::Malformed) {
    send_failed(control_, msg_->h.job, EINVAL, "malformed job message");
    return true;
  }
  JobStrings strings;
  if (!split_strings(*msg_, strings)) {
    close_all();
    send_failed(control_, msg_->h.job, EINVAL, "malformed job strings");
    return true;
  }
  int status[2];
  if (::pipe2(status, O_CLOEXEC) != 0) {
    close_all();
    send_failed(control_, msg_->h.job, errno, "pipe2");
    return true;
  }
  ChildArgs args{&msg_->h, &strings, fds.data(), status[1], &policy_, &id_};
  pid_t pid = start_child(args);
  int fork_errno = errno;
  close_all();
  ::close(status[1]);
  if (pid < 0) {
    ::close(status[0]);
    send_failed(control_, msg_->h.job, fork_errno, "clone");
    return true;
  }
  running_[pid] = {msg_->h.job, status[0]};
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  EventMessage e = event(Event::Started, msg_->h.job);
  bool sent = send_event(control_, e, pidfd);
  if (pidfd >= 0) ::close(pidfd);
  return sent;
}

// Reaps every exited process; jobs are reported, strays (a compiler's children) just reaped.
// With no job left, whatever remains in the namespace is killed.
void Server::reap() {
  for (;;) {
    int status = 0;
    rusage ru{};
    pid_t pid = ::wait4(-1, &status, WNOHANG | __WALL, &ru);
    if (pid <= 0) break;
    auto it = running_.find(pid);
    if (it == running_.end()) continue;
    EventMessage e = event(Event::Finished, it->second.job);
    e.wait_status = status;
    e.utime_us = ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec;
    e.stime_us = ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec;
    e.max_rss_kb = ru.ru_maxrss;
    int err = 0;
    if (::read(it->second.status_fd, &err, sizeof err) == static_cast<ssize_t>(sizeof err)) e.error = err;
    ::close(it->second.status_fd);
    running_.erase(it);
    if (running_.empty()) ::kill(-1, SIGKILL);
    send_event(control_, e);
  }
}

int Server::run() {
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, nullptr);
  int sfd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) {
    send_failed(control_, 0, errno, "signalfd");
    return 1;
  }
  if (!send_event(control_, event(Event::Ready, 0))) return 1;
  for (;;) {
    pollfd p[2] = {{control_, POLLIN, 0}, {sfd, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (p[1].revents) {
      signalfd_siginfo info;
      while (::read(sfd, &info, sizeof info) > 0) {
      }
      reap();
    }
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!start_job()) break;
    }
  }
  ::kill(-1, SIGKILL);  // as PID 1, leaving would kill them anyway; this says so
  return 0;
}

}  // namespace

bool send_event(int control_fd, const EventMessage& e, int fd) {
  return send_message(control_fd, &e, sizeof e, fd >= 0 ? std::vector<int>{fd} : std::vector<int>{});
}

int serve(int control_fd, const Policy& policy, const Identity& id) {
  Server s(control_fd, policy, id);
  return s.run();
}

}  // namespace stepcoder::sandbox::box
