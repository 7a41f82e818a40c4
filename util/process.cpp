// Child processes (see process.h).
#include "util/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

extern char** environ;

namespace stepcoder {
namespace {

// posix_spawn's file actions and attributes, released on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

void add_stdio(posix_spawn_file_actions_t* fa, const SpawnOptions& o) {
  if (!o.stdin_path.empty()) posix_spawn_file_actions_addopen(fa, STDIN_FILENO, o.stdin_path.c_str(), O_RDONLY, 0);
  if (!o.stdout_path.empty())
    posix_spawn_file_actions_addopen(fa, STDOUT_FILENO, o.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (o.stdout_to_stderr) posix_spawn_file_actions_adddup2(fa, STDERR_FILENO, STDOUT_FILENO);
  if (o.stderr_to_stdout) posix_spawn_file_actions_adddup2(fa, STDOUT_FILENO, STDERR_FILENO);
  for (const auto& [from, to] : o.fds) posix_spawn_file_actions_adddup2(fa, from, to);
}

}  // namespace

Expected<pid_t> spawn_process(const std::vector<std::string>& argv, const SpawnOptions& opts) {
  if (argv.empty() || argv[0].empty()) return Error("spawn_process: no program to run");
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  char* no_env[] = {nullptr};
  SpawnSetup s;
  add_stdio(&s.fa, opts);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &s.fa, &s.attr, args.data(), opts.inherit_env ? environ : no_env);
  if (rc != 0) return SysError("starting " + argv[0], rc);
  return pid;
}

Expected<int> wait_process(pid_t pid) {
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return SysError("waitpid");
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

Expected<ProcessResult> run_process(const std::vector<std::string>& argv, bool capture_stdout,
                                    const SpawnOptions& opts) {
  SpawnOptions o = opts;
  int fds[2] = {-1, -1};
  if (capture_stdout) {
    if (::pipe2(fds, O_CLOEXEC) != 0) return SysError("pipe");
    o.fds.emplace_back(fds[1], STDOUT_FILENO);  // dup2 clears close-on-exec on the copy
  } else {
    o.stdout_to_stderr = true;
  }
  auto pid = spawn_process(argv, o);
  if (fds[1] >= 0) ::close(fds[1]);
  if (!pid) {
    if (fds[0] >= 0) ::close(fds[0]);
    return Error(pid.error());
  }
  ProcessResult r;
  if (capture_stdout) {
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;)
      if (n > 0) r.stdout_text.append(buf, static_cast<size_t>(n));
      else if (errno != EINTR) break;
    ::close(fds[0]);
  }
  auto status = wait_process(*pid);
  if (!status) return Error(status.error());
  r.status = *status;
  return r;
}

}  // namespace stepcoder
