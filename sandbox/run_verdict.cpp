// Verdicts of runs: see run_verdict.h.
#include "sandbox/run_verdict.h"

#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace stepcoder::sandbox {

std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return name ? std::string("SIG") + name : "signal " + std::to_string(sig);
}

Verdict classify(const SpawnResult& r, const RunLimits& lim, std::string& detail) {
  if (r.exec_errno == ENOMEM || r.exec_errno == E2BIG) {
    detail = "program does not fit the memory limit at start";
    return Verdict::MemoryLimit;
  }
  if (r.exec_errno != 0) {
    detail = std::string("cannot start the program: ") + std::strerror(r.exec_errno);
    return Verdict::RuntimeError;
  }
  if (r.output_exceeded) {
    detail = "output over " + std::to_string(lim.output_kb) + " KiB";
    return Verdict::OutputLimit;
  }
  if (r.cpu_timeout || r.wall_timeout) {
    detail = r.cpu_timeout ? "CPU time limit" : "wall-clock limit";
    return Verdict::Timeout;
  }
  if (r.signal == SIGSYS) {
    detail = "forbidden system call";
    return Verdict::Violation;
  }
  bool near_limit = r.max_rss_kb * 1024 >= (int64_t{lim.memory_mb} << 20) * 9 / 10;
  if ((r.signal != 0 || r.exit_code != 0) &&
      (near_limit || r.err.find("bad_alloc") != std::string::npos)) {
    detail = "memory limit of " + std::to_string(lim.memory_mb) + " MiB";
    return Verdict::MemoryLimit;
  }
  if (r.signal != 0) {
    detail = "killed by " + signal_text(r.signal);
    return Verdict::RuntimeError;
  }
  if (r.exit_code != 0) {
    detail = "exit code " + std::to_string(r.exit_code);
    return Verdict::RuntimeError;
  }
  return Verdict::Passed;
}

// A program whose static arrays exceed the memory limit is killed inside execve, before main,
// which looks like a crash: measuring it up front names it correctly.
uint64_t static_footprint(const std::string& binary) {
  int fd = ::open(binary.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  Elf64_Ehdr eh;
  uint64_t total = 0;
  if (::pread(fd, &eh, sizeof eh, 0) == static_cast<ssize_t>(sizeof eh) &&
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
      eh.e_phentsize == sizeof(Elf64_Phdr) && eh.e_phnum < 64) {
    for (int i = 0; i < eh.e_phnum; ++i) {
      Elf64_Phdr ph;
      if (::pread(fd, &ph, sizeof ph, static_cast<off_t>(eh.e_phoff + i * sizeof ph)) != sizeof ph) break;
      if (ph.p_type == PT_LOAD) total += ph.p_memsz;
    }
  }
  ::close(fd);
  return total;
}

TestResult to_test(SpawnResult&& r, Verdict v, std::string detail) {
  TestResult t;
  t.verdict = v;
  t.exit_code = r.exit_code;
  t.signal = r.signal;
  t.ms = r.wall_ms;
  t.max_rss_kb = r.max_rss_kb;
  t.stdout_text = std::move(r.out);
  t.stderr_text = std::move(r.err);
  t.shared = std::move(r.shared);
  t.detail = std::move(detail);
  return t;
}

Verdict aggregate(const std::vector<TestResult>& tests) {
  Verdict v = Verdict::Passed;
  for (const auto& t : tests) {
    if (t.verdict == Verdict::Passed) continue;
    if (v == Verdict::Passed || v == Verdict::Failed) v = t.verdict;
  }
  return v;
}

SpawnSpec run_spec(const SandboxConfig& cfg, const std::string& binary, box::Who who) {
  SpawnSpec s;
  s.who = who;
  s.exec_path = binary;
  s.argv = {who == box::Who::Tests ? "tests" : "program"};
  s.seccomp = true;
  s.cpu_ms = cfg.run.cpu_ms;
  s.wall_ms = cfg.run.wall_ms;
  s.memory_bytes = int64_t{cfg.run.memory_mb} << 20;
  s.stack_bytes = int64_t{cfg.run.stack_mb} << 20;
  s.file_bytes = 0;
  s.nofile = 16;
  s.output_cap = static_cast<size_t>(cfg.run.output_kb) << 10;
  return s;
}

}  // namespace stepcoder::sandbox
