// The seccomp policy for judged programs: one allow-list table (policy.cpp) compiled once, in
// the parent, to a BPF program. The child installs it last, right before execve, with nothing
// but async-signal-safe system calls, so the pool may fork from many threads.
//
//   Expected<Policy> p = Policy::compile();      // parent, once
//   ... fork() ...
//   p->install_in_child();                        // child: patches its own pid, loads the filter
#pragma once

#include <linux/filter.h>

#include <string>
#include <vector>

#include "util/expected.h"

namespace stepcoder::sandbox {

// The descriptor the child executes through (execveat with AT_EMPTY_PATH). It is close-on-exec,
// and the program cannot open files, so it cannot exec anything after its own start.
constexpr int kExecFd = 9;

class Policy {
 public:
  static Expected<Policy> compile();

  // Child side, async-signal-safe: sets no_new_privs and loads the filter, with signals allowed
  // only to the calling process. Returns 0 or an errno value.
  int install_in_child() const;

  size_t instruction_count() const { return prog_.size(); }
  // The allow-list as "name: action" lines, for documentation and tests.
  static std::vector<std::string> describe();

 private:
  std::vector<sock_filter> prog_;
};

}  // namespace stepcoder::sandbox
