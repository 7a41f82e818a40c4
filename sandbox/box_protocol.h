// The wire format between the judge and a box (box.h): fixed-size messages over a
// SOCK_SEQPACKET socket pair, descriptors in SCM_RIGHTS. Both ends are built from this header in
// one build, so a magic number is all the versioning there is.
//
// judge -> box: JobMessage (+ the job's descriptors), one per process to start.
// box -> judge: Ready once the box's view is built (or Failed with the reason, then exit);
//               Started (+ a pidfd) or Failed per job; Finished when a job's process is reaped.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

namespace stepcoder::sandbox::box {

constexpr uint32_t kMagic = 0x58424353;  // "SCBX"
constexpr int kControlFd = 3;            // the box's end of the socket pair
constexpr int kMaxJobFds = 8;            // descriptors one job may receive
constexpr uint32_t kMaxStrings = 16 << 10;

// Whose process a job is: it selects the uid and the filesystem view.
enum class Who : uint32_t {
  Compiler = 0,  // the compiler and contained tools: the toolchain view, the work directory
  Program = 1,   // a judged program: an empty root, its own uid
  Tests = 2,     // the trusted test process of split assert tests: an empty root, another uid
};

struct JobHeader {
  uint32_t magic = kMagic;
  uint32_t job = 0;
  uint32_t who = 0;
  uint32_t exec_by_fd = 0;  // 1: the last descriptor passed is the executable (execveat)
  uint32_t nfds = 0;        // descriptors passed, the executable's included
  int32_t fd_targets[kMaxJobFds] = {};  // where each descriptor lands in the child
  uint32_t seccomp = 0;     // install the program policy right before exec
  int32_t nofile = 0;       // RLIMIT_NOFILE; 0 = inherit
  int64_t cpu_ms = 0;       // RLIMIT_CPU (rounded up to seconds); 0 = none
  int64_t memory_bytes = 0; // RLIMIT_AS; 0 = none
  int64_t stack_bytes = 0;  // RLIMIT_STACK; 0 = inherit
  int64_t file_bytes = 0;   // RLIMIT_FSIZE; -1 = none
  uint32_t strings_len = 0; // bytes of `strings` used
};

// strings: argv[0] ... argv[n-1] "" env[0] ... env[m-1] "" cwd exec_path, each NUL-terminated.
// exec_path is executed by path inside the box's view when exec_by_fd is 0.
struct JobMessage {
  JobHeader h;
  char strings[kMaxStrings];
};

enum class Event : uint32_t { Ready = 1, Started = 2, Failed = 3, Finished = 4 };

struct EventMessage {
  uint32_t magic = kMagic;
  uint32_t event = 0;
  uint32_t job = 0;
  int32_t error = 0;        // Failed: errno of the box's step; Finished: errno of the child's
                            // failed set-up step (0 when it reached exec)
  int32_t wait_status = 0;  // Finished: as wait4 gives it
  int32_t pad = 0;
  int64_t utime_us = 0, stime_us = 0;
  int64_t max_rss_kb = 0;   // the job's own peak: the box forks small children, so the exec
                            // inherits no large address space into ru_maxrss
  char text[200] = {};      // Failed: which step, for the judge's error message
};

// Sends `len` bytes and `fds` as one message; false unless all of it went.
bool send_message(int sock, const void* data, size_t len, const std::vector<int>& fds = {});
// Receives one message of at most `cap` bytes and the descriptors that came with it (close-on-
// exec, appended to *fds). Returns the bytes (0 at EOF, -1 on error); *truncated when the
// message or its descriptors did not fit.
ssize_t receive_message(int sock, void* data, size_t cap, std::vector<int>* fds, bool* truncated);

}  // namespace stepcoder::sandbox::box
