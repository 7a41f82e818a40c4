// Process control for the sandbox: see process.h. The child runs a flat list of set-up steps,
// each async-signal-safe and free of allocation (it shares the judge's memory until exec, and
// the judge starts children from a multithreaded pool), and reports the first failing step's
// errno through a close-on-exec pipe.
#include "sandbox/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "sandbox/policy.h"

namespace stepcoder::sandbox {

namespace {

using Clock = std::chrono::steady_clock;

// Pipe ends and descriptors the child needs, all close-on-exec in the parent.
struct Fds {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, rep[2] = {-1, -1};
  int status[2] = {-1, -1};  // child -> parent: errno of a failed set-up step
  int exec = -1, shared = -1;

  ~Fds() {
    for (int* p : {in, out, err, rep, status})
      for (int i = 0; i < 2; ++i)
        if (p[i] >= 0) ::close(p[i]);
    if (exec >= 0) ::close(exec);
    if (shared >= 0) ::close(shared);
  }
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

Status open_fds(const SpawnSpec& s, Fds& f) {
  for (int* p : {f.in, f.out, f.err, f.status})
    if (::pipe2(p, O_CLOEXEC) != 0) return SysError("pipe2");
  if (s.want_report && ::pipe2(f.rep, O_CLOEXEC) != 0) return SysError("pipe2");
  f.exec = ::open(s.exec_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.exec < 0) return SysError("open " + s.exec_path);
  if (s.shared_bytes > 0) {
    f.shared = static_cast<int>(::syscall(SYS_memfd_create, "stepcoder-shared", MFD_CLOEXEC));
    if (f.shared < 0) return SysError("memfd_create");
    if (::ftruncate(f.shared, static_cast<off_t>(s.shared_bytes)) != 0) return SysError("ftruncate");
  }
  return {};
}

// ---- child side: async-signal-safe steps only ----

#define RETURN_ON_FAILURE(expr) \
  do {                          \
    if ((expr) < 0) return errno; \
  } while (0)

// Moves `from` to `to`, first lifting every source above the targets so dup2 order is safe.
int place_fds(const Fds& f) {
  int src[6] = {f.in[0], f.out[1], f.err[1], f.rep[1], f.shared, f.exec};
  int dst[6] = {0, 1, 2, 3, 4, kExecFd};
  for (int& fd : src)
    if (fd >= 0) RETURN_ON_FAILURE(fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 16));
  for (int i = 0; i < 5; ++i)
    if (src[i] >= 0) RETURN_ON_FAILURE(::dup2(src[i], dst[i]));  // clears close-on-exec
  // The exec descriptor stays close-on-exec: the program never sees it.
  RETURN_ON_FAILURE(::dup3(src[5], kExecFd, O_CLOEXEC));
  return 0;
}

int set_limit(int resource, int64_t value) {
  rlimit rl{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
  return ::setrlimit(resource, &rl);
}

int apply_limits(const SpawnSpec& s) {
  if (s.cpu_ms > 0) {
    // Soft limit sends SIGXCPU; the hard limit a second later kills even a program that ignores it.
    rlim_t secs = static_cast<rlim_t>((s.cpu_ms + 999) / 1000);
    rlimit rl{secs, secs + 1};
    RETURN_ON_FAILURE(::setrlimit(RLIMIT_CPU, &rl));
  }
  if (s.memory_bytes > 0) RETURN_ON_FAILURE(set_limit(RLIMIT_AS, s.memory_bytes));
  if (s.stack_bytes > 0) RETURN_ON_FAILURE(set_limit(RLIMIT_STACK, s.stack_bytes));
  if (s.file_bytes >= 0) RETURN_ON_FAILURE(set_limit(RLIMIT_FSIZE, s.file_bytes));
  RETURN_ON_FAILURE(set_limit(RLIMIT_CORE, 0));
  // No RLIMIT_NPROC: it counts every process of the user system-wide, and the kernel then
  // refuses the exec itself; the seccomp policy already forbids fork, vfork and clone.
  if (s.policy) RETURN_ON_FAILURE(set_limit(RLIMIT_NOFILE, 16));
  return 0;
}

int drop_privileges() {
  if (::geteuid() != 0) return 0;
  const long nobody = 65534;
  // Raw system calls: glibc's wrappers would try to synchronize threads that the child lacks.
  RETURN_ON_FAILURE(::syscall(SYS_setgroups, 0, nullptr));
  RETURN_ON_FAILURE(::syscall(SYS_setresgid, nobody, nobody, nobody));
  RETURN_ON_FAILURE(::syscall(SYS_setresuid, nobody, nobody, nobody));
  return 0;
}

[[noreturn]] void child_fail(int status_fd, int err) {
  ssize_t ignored = ::write(status_fd, &err, sizeof err);
  (void)ignored;
  ::_exit(127);
}

// Handlers the judge installed must not run in the child: it shares the judge's memory until
// exec (CLONE_VM). Signals stay blocked until this is done.
void reset_signal_handlers() {
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction sa;
    if (::sigaction(sig, nullptr, &sa) != 0) continue;
    if (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN) {
      sa.sa_handler = SIG_DFL;
      sa.sa_flags = 0;
      ::sigaction(sig, &sa, nullptr);
    }
  }
}

[[noreturn]] void run_child(const SpawnSpec& s, const Fds& f, char* const* argv, char* const* envp) {
  reset_signal_handlers();
  int status_fd = ::fcntl(f.status[1], F_DUPFD_CLOEXEC, 32);
  if (status_fd < 0) ::_exit(127);
  int err = 0;
  // The staged set-up: each step returns 0 or an errno.
  if ((err = ::setpgid(0, 0) < 0 ? errno : 0)) child_fail(status_fd, err);
  if ((err = ::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ? errno : 0)) child_fail(status_fd, err);
  if ((err = place_fds(f))) child_fail(status_fd, err);
  // Everything else inherited from the judge (other workers' pipes) is closed.
  ::close_range(5, kExecFd - 1, 0);
  ::close_range(kExecFd + 1, static_cast<unsigned>(status_fd) - 1, 0);
  ::close_range(static_cast<unsigned>(status_fd) + 1, ~0U, 0);
  if (!s.workdir.empty() && ::chdir(s.workdir.c_str()) != 0) child_fail(status_fd, errno);
  if ((err = apply_limits(s))) child_fail(status_fd, err);
  if (s.drop_privileges && (err = drop_privileges())) child_fail(status_fd, err);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (s.policy && (err = s.policy->install_in_child())) child_fail(status_fd, err);
  ::syscall(SYS_execveat, kExecFd, "", argv, envp, AT_EMPTY_PATH);
  child_fail(status_fd, errno);
}

#undef RETURN_ON_FAILURE

// ---- parent side ----

struct Stream {
  int fd;
  std::string* sink;
  size_t cap;
  bool open = true;
};

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Reads what is there; returns false when the stream went over its cap.
bool drain(Stream& s) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(s.fd, buf, sizeof buf);
    if (n > 0) {
      size_t room = s.cap > s.sink->size() ? s.cap - s.sink->size() : 0;
      s.sink->append(buf, std::min(room, static_cast<size_t>(n)));
      if (static_cast<size_t>(n) > room) return false;
      continue;
    }
    if (n == 0) s.open = false;
    else if (errno == EINTR) continue;
    else if (errno != EAGAIN) s.open = false;
    return true;
  }
}

struct Waiter {
  pid_t pid;
  int pidfd;
  Clock::time_point deadline;
};

void kill_group(pid_t pid) {
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
}

// The poll loop: feeds stdin, drains outputs, watches the pidfd and the wall clock.
void supervise(const SpawnSpec& s, Fds& f, const Waiter& w, SpawnResult& r) {
  Stream streams[3] = {{f.out[0], &r.out, s.output_cap},
                       {f.err[0], &r.err, s.output_cap},
                       {f.rep[0], &r.report, 1 << 16}};
  size_t in_off = 0;
  for (int fd : {f.out[0], f.err[0], f.rep[0], f.in[1]})
    if (fd >= 0) set_nonblocking(fd);
  if (s.stdin_data.empty()) Fds::close_fd(f.in[1]);
  bool exited = false, over = false;
  while (!exited || streams[0].open || streams[1].open || (f.rep[0] >= 0 && streams[2].open)) {
    pollfd pfds[5];
    int n = 0, idx[3] = {-1, -1, -1};
    for (int i = 0; i < 3; ++i)
      if (streams[i].fd >= 0 && streams[i].open) idx[i] = n, pfds[n++] = {streams[i].fd, POLLIN, 0};
    int in_idx = -1, pid_idx = -1;
    if (f.in[1] >= 0) in_idx = n, pfds[n++] = {f.in[1], POLLOUT, 0};
    if (!exited) pid_idx = n, pfds[n++] = {w.pidfd, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(w.deadline - Clock::now());
    if (left.count() <= 0) {
      if (!exited) r.wall_timeout = true;
      kill_group(w.pid);
      break;  // a killed group closes its pipes; whatever is buffered is dropped
    }
    int rc = ::poll(pfds, n, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (rc < 0 && errno != EINTR) break;
    if (rc <= 0) continue;
    for (int i = 0; i < 3; ++i)
      if (idx[i] >= 0 && pfds[idx[i]].revents && !drain(streams[i]) && i < 2) over = true;
    if (over && s.kill_on_output_cap) {
      r.output_exceeded = true;
      kill_group(w.pid);
      break;
    }
    if (in_idx >= 0 && pfds[in_idx].revents) {
      ssize_t m = ::write(f.in[1], s.stdin_data.data() + in_off, s.stdin_data.size() - in_off);
      if (m > 0) in_off += static_cast<size_t>(m);
      if (m < 0 && errno != EAGAIN && errno != EINTR) in_off = s.stdin_data.size();  // EPIPE
      if (in_off >= s.stdin_data.size()) Fds::close_fd(f.in[1]);
    }
    if (pid_idx >= 0 && pfds[pid_idx].revents) {
      exited = true;
      // Descendants (the compiler's) may hold the pipes open: end them with the leader.
      kill_group(w.pid);
    }
  }
  if (over) r.output_exceeded = s.kill_on_output_cap;
}

void collect(const SpawnSpec& s, const Fds& f, pid_t pid, Clock::time_point start, SpawnResult& r) {
  int wstatus = 0;
  rusage ru{};
  while (::wait4(pid, &wstatus, 0, &ru) < 0 && errno == EINTR) {
  }
  r.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (WIFEXITED(wstatus)) r.exit_code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) r.signal = WTERMSIG(wstatus);
  r.cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
             (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  r.max_rss_kb = ru.ru_maxrss;
  if (s.cpu_ms > 0 && r.cpu_ms > s.cpu_ms) r.cpu_timeout = true;
  if (r.signal == SIGXCPU) r.cpu_timeout = true;
  int err = 0;
  if (::read(f.status[0], &err, sizeof err) == static_cast<ssize_t>(sizeof err)) r.exec_errno = err;
  if (f.shared >= 0) {
    r.shared.resize(s.shared_bytes);
    ssize_t n = ::pread(f.shared, r.shared.data(), s.shared_bytes, 0);
    r.shared.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
}

struct ChildArgs {
  const SpawnSpec* spec;
  const Fds* fds;
  char* const* argv;
  char* const* envp;
};

int child_entry(void* p) {
  auto* a = static_cast<ChildArgs*>(p);
  run_child(*a->spec, *a->fds, a->argv, a->envp);
}

// Starts the child with CLONE_VM | CLONE_VFORK, as posix_spawn does: no page tables are copied
// (the judge may hold gigabytes of model), and this thread sleeps until the child has exec'd.
// The child runs on its own small stack with every signal blocked until it is ready to exec.
pid_t start_child(ChildArgs& args) {
  constexpr size_t kStack = 256 << 10;
  void* stack = ::mmap(nullptr, kStack, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = ::clone(child_entry, static_cast<char*>(stack) + kStack,
                      CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
  int err = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::munmap(stack, kStack);
  errno = err;
  return pid;
}

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

Expected<SpawnResult> spawn_and_wait(const SpawnSpec& spec) {
  Fds f;
  if (Status st = open_fds(spec, f); !st) return Error(st.error());
  std::vector<char*> argv = c_strings(spec.argv), envp = c_strings(spec.env);
  auto start = Clock::now();
  ChildArgs args{&spec, &f, argv.data(), envp.data()};
  pid_t pid = start_child(args);
  if (pid < 0) return SysError("clone");
  // Parent: close the child's ends so EOF arrives when it is gone.
  for (int* fd : {&f.in[0], &f.out[1], &f.err[1], &f.rep[1], &f.status[1]}) Fds::close_fd(*fd);
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    kill_group(pid);
    ::waitpid(pid, nullptr, 0);
    return SysError("pidfd_open");
  }
  SpawnResult r;
  {
    // A program that exits without reading its input makes our write fail with EPIPE; the
    // SIGPIPE that comes with it is blocked on this thread and consumed, not left to kill us.
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    supervise(spec, f, {pid, pidfd, start + std::chrono::milliseconds(spec.wall_ms)}, r);
    timespec zero{0, 0};
    while (::sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
  ::close(pidfd);
  kill_group(pid);  // nothing of the run outlives it
  collect(spec, f, pid, start, r);
  return r;
}

}  // namespace stepcoder::sandbox
