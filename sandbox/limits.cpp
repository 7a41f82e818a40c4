// Child resource limits: see limits.h.
#include "sandbox/limits.h"

#include <sys/resource.h>

#include <cerrno>

namespace stepcoder::sandbox {

namespace {

int set_limit(int resource, rlim_t soft, rlim_t hard) {
  rlimit rl{soft, hard};
  return ::setrlimit(resource, &rl) == 0 ? 0 : errno;
}

}  // namespace

int apply_limits(const ChildLimits& l) {
  int err = 0;
  if (l.cpu_ms > 0) {
    // Soft limit sends SIGXCPU; the hard limit a second later kills even a program that ignores it.
    rlim_t secs = static_cast<rlim_t>((l.cpu_ms + 999) / 1000);
    if ((err = set_limit(RLIMIT_CPU, secs, secs + 1))) return err;
  }
  auto exact = [](int64_t v) { return static_cast<rlim_t>(v); };
  if (l.memory_bytes > 0 && (err = set_limit(RLIMIT_AS, exact(l.memory_bytes), exact(l.memory_bytes))))
    return err;
  if (l.stack_bytes > 0 && (err = set_limit(RLIMIT_STACK, exact(l.stack_bytes), exact(l.stack_bytes))))
    return err;
  if (l.file_bytes >= 0 && (err = set_limit(RLIMIT_FSIZE, exact(l.file_bytes), exact(l.file_bytes))))
    return err;
  if ((err = set_limit(RLIMIT_CORE, 0, 0))) return err;
  // No RLIMIT_NPROC: it counts every process of the user system-wide, and the kernel then
  // refuses the exec itself; the seccomp policy forbids fork, vfork and clone.
  if (l.nofile > 0 && (err = set_limit(RLIMIT_NOFILE, exact(l.nofile), exact(l.nofile)))) return err;
  return 0;
}

}  // namespace stepcoder::sandbox
