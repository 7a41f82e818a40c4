// A box: one judging slot's sandbox, the stepcoder-box process (box_main.cpp), and the judge's
// side of its protocol (box_protocol.h). Everything untrusted that the judge starts runs in a
// box: the compiler, judged programs, the test process of split assert tests, contained tools.
// A box has its own PID, mount, network, IPC and UTS namespaces (and a user namespace when the
// judge is not root), so what runs in one slot cannot see, signal or limit anything outside it.
// A slot runs one thing at a time; the judge keeps a pool of them (judge.cpp).
//
//   BoxOptions o;
//   o.executable = *find_helper("stepcoder-box"); o.dir = slot_dir; o.readonly = {pch_dir};
//   auto box = Box::start(o);
//   if (!box) return Error(box.error());
//   Expected<std::vector<SpawnResult>> r = (*box)->run({spec});
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sandbox/spawn.h"
#include "util/expected.h"

namespace stepcoder::sandbox {

struct BoxOptions {
  std::string executable;              // stepcoder-box
  std::string dir;                     // the slot's host directory: root/ and work/ are made in it
  std::vector<std::string> readonly;   // host directories the view shows read-only (PCHs)
  int slot = 0;
  uint32_t uid_base = 62000;           // as root: the slot's uids are uid_base + 3 * slot + Who
};

class Box {
 public:
  static Expected<std::unique_ptr<Box>> start(const BoxOptions& options);
  ~Box();
  Box(const Box&) = delete;
  Box& operator=(const Box&) = delete;

  // The slot's work directory (the compiler's cwd and scratch space), the same path inside.
  const std::string& work_dir() const { return work_; }
  // The uid and gid that jobs of `who` run as, seen from the host.
  uid_t host_uid(box::Who who) const;
  gid_t host_gid(box::Who who) const;

  // Starts every process, supervises them together (stdin, capped outputs, wall clocks) and
  // waits for all. Fails only when the box itself does; then it is broken() and is replaced.
  Expected<std::vector<SpawnResult>> run(const std::vector<SpawnSpec>& specs);
  // Removes what the last use of the slot left in the work directory.
  Status clear_work();
  bool broken() const { return broken_; }

  struct Job;

 private:
  Box() = default;
  Status wait_ready();
  Status submit(const SpawnSpec& spec, Job& job);
  Status await_started(Job& job, std::vector<Job>& jobs);
  bool dispatch_event(std::vector<Job>& jobs, int timeout_ms);
  Expected<std::vector<SpawnResult>> fail(const std::string& why);

  int control_ = -1;
  pid_t pid_ = -1;
  std::string work_;
  bool as_root_ = false;
  uid_t uid_[3] = {0, 0, 0};
  gid_t gid_[3] = {0, 0, 0};
  uint32_t next_job_ = 1;
  bool broken_ = false;
};

}  // namespace stepcoder::sandbox
