// The syscall allow-list for judged programs, as data, and its compilation with libseccomp.
// Everything not listed kills the process (verdict `violation`); a few calls that libc makes
// and copes with failing get an errno instead. Programs are statically linked, so nothing
// needs to open a file.
#include "sandbox/policy.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stepcoder::sandbox {

namespace {

// Placeholder for "this process's pid" in the compiled filter; the child replaces it with its
// own pid before loading, so kill/tgkill can reach only itself.
constexpr uint32_t kSelfPid = 0x5e1f0a1d;

enum class Rule {
  Allow,         // unconditionally
  NoExec,        // allowed unless PROT_EXEC is asked for (arg 2): no shellcode pages
  SelfOnly,      // allowed when arg 0 is the caller's own pid
  PidZero,       // allowed when arg 0 is 0, "the caller" (prlimit64, sched_getaffinity)
  FcntlSafe,     // fcntl with a command from kFcntlCommands only: no F_SETOWN, F_SETSIG, leases
  EmptyPath,     // newfstatat with AT_EMPTY_PATH (glibc's fstat): no path lookups as a rule
  ExecFd,        // execveat(kExecFd, "", ..., AT_EMPTY_PATH) only: the judge's own start
  Enosys,        // fails with ENOSYS: newer calls that glibc falls back from (clone3)
  Eperm,         // fails with EPERM: harmless probes (rseq, prctl)
  Enoent,        // fails with ENOENT: readlink("/proc/self/exe") at static start-up
  Enotty,        // fails with ENOTTY: terminal queries
};

struct Entry {
  const char* name;
  Rule rule;
};

// fcntl commands a program may use: descriptor flags and duplication. Anything that names
// another process (F_SETOWN, F_SETOWN_EX, F_SETSIG: SIGIO to any pid) or watches files
// (F_SETLEASE, F_NOTIFY) is refused.
constexpr int kFcntlCommands[] = {F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL,
                                  F_GETPIPE_SZ};

// The whole policy. Anything else (fork, clone, execve, open*, socket, ptrace, kill of others,
// io_uring, keyctl, memfd_create, mount, ...) kills the process.
constexpr Entry kPolicy[] = {
    // I/O on the descriptors the judge hands over (0-4); nothing can be opened.
    {"read", Rule::Allow}, {"write", Rule::Allow}, {"readv", Rule::Allow},
    {"writev", Rule::Allow}, {"pread64", Rule::Allow}, {"pwrite64", Rule::Allow},
    {"lseek", Rule::Allow}, {"close", Rule::Allow}, {"fstat", Rule::Allow},
    {"newfstatat", Rule::EmptyPath}, {"fcntl", Rule::FcntlSafe}, {"dup", Rule::Allow},
    {"dup2", Rule::Allow}, {"dup3", Rule::Allow}, {"poll", Rule::Allow}, {"ppoll", Rule::Allow},
    {"select", Rule::Allow}, {"pselect6", Rule::Allow}, {"ioctl", Rule::Enotty},
    // memory
    {"brk", Rule::Allow}, {"mmap", Rule::NoExec}, {"mprotect", Rule::NoExec},
    {"munmap", Rule::Allow}, {"mremap", Rule::Allow}, {"madvise", Rule::Allow},
    // signals, to itself only
    {"rt_sigaction", Rule::Allow}, {"rt_sigprocmask", Rule::Allow},
    {"rt_sigreturn", Rule::Allow}, {"sigaltstack", Rule::Allow}, {"rt_sigsuspend", Rule::Allow},
    {"pause", Rule::Allow}, {"kill", Rule::SelfOnly}, {"tgkill", Rule::SelfOnly},
    {"tkill", Rule::SelfOnly},
    // time and sleeping (the wall-clock limit ends any wait)
    {"clock_gettime", Rule::Allow}, {"clock_getres", Rule::Allow}, {"gettimeofday", Rule::Allow},
    {"time", Rule::Allow}, {"nanosleep", Rule::Allow}, {"clock_nanosleep", Rule::Allow},
    {"sched_yield", Rule::Allow}, {"futex", Rule::Allow}, {"getrusage", Rule::Allow},
    {"times", Rule::Allow},
    // process start-up and identity
    {"arch_prctl", Rule::Allow}, {"set_tid_address", Rule::Allow},
    {"set_robust_list", Rule::Allow}, {"rseq", Rule::Eperm}, {"prctl", Rule::Eperm},
    {"prlimit64", Rule::PidZero}, {"getrlimit", Rule::Allow}, {"getrandom", Rule::Allow},
    {"readlink", Rule::Enoent}, {"uname", Rule::Allow}, {"getpid", Rule::Allow},
    {"gettid", Rule::Allow}, {"getppid", Rule::Allow}, {"getuid", Rule::Allow},
    {"geteuid", Rule::Allow}, {"getgid", Rule::Allow}, {"getegid", Rule::Allow},
    {"sched_getaffinity", Rule::PidZero},
    {"exit", Rule::Allow}, {"exit_group", Rule::Allow},
    {"execveat", Rule::ExecFd}, {"clone3", Rule::Enosys},
};

const char* rule_name(Rule r) {
  switch (r) {
    case Rule::Allow: return "allow";
    case Rule::NoExec: return "allow without PROT_EXEC";
    case Rule::SelfOnly: return "allow for its own pid";
    case Rule::PidZero: return "allow for pid 0 (itself) only";
    case Rule::FcntlSafe: return "allow descriptor-flag commands only";
    case Rule::EmptyPath: return "allow with AT_EMPTY_PATH only";
    case Rule::ExecFd: return "allow the judge's start only";
    case Rule::Enosys: return "ENOSYS";
    case Rule::Eperm: return "EPERM";
    case Rule::Enoent: return "ENOENT";
    case Rule::Enotty: return "ENOTTY";
  }
  return "?";
}

int add_rule(scmp_filter_ctx ctx, int nr, Rule rule) {
  switch (rule) {
    case Rule::Allow: return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
    case Rule::NoExec:
      return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    case Rule::SelfOnly:
      return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, kSelfPid));
    case Rule::PidZero:
      return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, 0));
    case Rule::EmptyPath:
      return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
                              SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
    case Rule::FcntlSafe:
      for (int cmd : kFcntlCommands)
        if (int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A1(SCMP_CMP_EQ, static_cast<scmp_datum_t>(cmd))); rc < 0)
          return rc;
      return 0;
    case Rule::ExecFd:
      return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 2, SCMP_A0(SCMP_CMP_EQ, kExecFd),
                              SCMP_A4(SCMP_CMP_EQ, AT_EMPTY_PATH));
    case Rule::Enosys: return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
    case Rule::Eperm: return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
    case Rule::Enoent: return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOENT), nr, 0);
    case Rule::Enotty: return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOTTY), nr, 0);
  }
  return -EINVAL;
}

Expected<std::vector<sock_filter>> export_bpf(scmp_filter_ctx ctx) {
  size_t len = 0;
  // libseccomp 2.5 exports to a file descriptor; a memfd keeps it off the file system.
  int fd = static_cast<int>(::syscall(SYS_memfd_create, "stepcoder-bpf", MFD_CLOEXEC));
  if (fd < 0) return SysError("memfd_create for the seccomp program");
  int rc = seccomp_export_bpf(ctx, fd);
  if (rc < 0) {
    ::close(fd);
    return SysError("seccomp_export_bpf", -rc);
  }
  off_t size = ::lseek(fd, 0, SEEK_END);
  len = static_cast<size_t>(size) / sizeof(sock_filter);
  std::vector<sock_filter> prog(len);
  ssize_t n = ::pread(fd, prog.data(), len * sizeof(sock_filter), 0);
  ::close(fd);
  if (n != static_cast<ssize_t>(len * sizeof(sock_filter)) || len == 0)
    return Error("reading the exported seccomp program failed");
  return prog;
}

}  // namespace

Expected<Policy> Policy::compile() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  if (!ctx) return Error("seccomp_init failed");
  // Foreign-architecture calls (int 0x80, x32) are killed by the default bad-arch action.
  for (const Entry& e : kPolicy) {
    int nr = seccomp_syscall_resolve_name(e.name);
    if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture
    if (int rc = add_rule(ctx, nr, e.rule); rc < 0) {
      seccomp_release(ctx);
      return SysError(std::string("seccomp rule for ") + e.name, -rc);
    }
  }
  Expected<std::vector<sock_filter>> prog = export_bpf(ctx);
  seccomp_release(ctx);
  if (!prog) return Error(prog.error());
  Policy p;
  p.prog_ = std::move(*prog);
  int patched = 0;
  for (const sock_filter& f : p.prog_) patched += f.k == kSelfPid;
  if (patched == 0) return Error("seccomp program has no own-pid comparison to patch");
  return p;
}

int Policy::install_in_child() const {
  // Copy onto the stack (no allocation after fork) and patch in our own pid.
  constexpr size_t kMax = 1024;
  if (prog_.size() > kMax) return E2BIG;
  sock_filter local[kMax];
  uint32_t self = static_cast<uint32_t>(::syscall(SYS_getpid));
  for (size_t i = 0; i < prog_.size(); ++i) {
    local[i] = prog_[i];
    if (local[i].k == kSelfPid) local[i].k = self;
  }
  sock_fprog fprog{static_cast<unsigned short>(prog_.size()), local};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0) return errno;
  return 0;
}

std::vector<std::string> Policy::describe() {
  std::vector<std::string> out;
  for (const Entry& e : kPolicy) out.push_back(std::string(e.name) + ": " + rule_name(e.rule));
  out.push_back("anything else: kill (violation)");
  return out;
}

}  // namespace stepcoder::sandbox
