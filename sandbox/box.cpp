// The judge's side of a box: starting it, sending jobs with their descriptors, supervising them
// and reading their ends. See box.h.
#include "sandbox/box.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "sandbox/supervise.h"
#include "util/files.h"
#include "util/process.h"

namespace stepcoder::sandbox {

namespace fs = std::filesystem;

struct Box::Job {
  const SpawnSpec* spec = nullptr;
  uint32_t id = 0;
  int in = -1, out = -1, err = -1, rep = -1;  // the judge's pipe ends
  int shared = -1, pidfd = -1;
  bool started = false, finished = false;
  int start_errno = 0;
  std::string start_error;
  box::EventMessage end;
  SteadyClock::time_point begin;
  double wall_ms = 0;

  void close_all() {
    for (int* fd : {&in, &out, &err, &rep, &shared, &pidfd})
      if (*fd >= 0) ::close(*fd), *fd = -1;
  }
};

namespace {

Status make_pipe(int p[2]) {
  if (::pipe2(p, O_CLOEXEC) != 0) return SysError("pipe2");
  return {};
}

void close_pair(int p[2]) {
  for (int i = 0; i < 2; ++i)
    if (p[i] >= 0) ::close(p[i]), p[i] = -1;
}

// argv..., "", env..., "", cwd, exec_path (box_protocol.h).
bool pack_strings(const SpawnSpec& s, box::JobMessage& m) {
  std::string all;
  for (const auto& a : s.argv) all += a + '\0';
  all += '\0';
  for (const auto& e : s.env) all += e + '\0';
  all += '\0';
  all += s.workdir + '\0';
  all += (s.exec_in_view ? s.exec_path : std::string()) + '\0';
  if (all.size() > box::kMaxStrings || s.argv.empty()) return false;
  for (const auto& a : s.argv)
    if (a.empty()) return false;
  std::memcpy(m.strings, all.data(), all.size());
  m.h.strings_len = static_cast<uint32_t>(all.size());
  return true;
}

Status send_job(int control, const box::JobMessage& m, const std::vector<int>& fds) {
  if (!box::send_message(control, &m, sizeof(box::JobHeader) + m.h.strings_len, fds))
    return SysError("sending a job to the box");
  return {};
}

// Receives one event and the descriptor that may come with it; false on EOF or error.
bool receive_event(int control, box::EventMessage& e, int* fd) {
  std::vector<int> fds;
  bool truncated = false;
  ssize_t n = box::receive_message(control, &e, sizeof e, &fds, &truncated);
  *fd = fds.empty() ? -1 : fds[0];
  for (size_t i = 1; i < fds.size(); ++i) ::close(fds[i]);
  return n == static_cast<ssize_t>(sizeof e) && !truncated && e.magic == box::kMagic;
}

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  int rc;
  do rc = ::poll(&p, 1, timeout_ms);
  while (rc < 0 && errno == EINTR);
  return rc > 0;
}

void close_extra_fds(const SpawnSpec& s) {
  for (const auto& fd_target : s.extra_fds) ::close(fd_target.first);
}

std::string event_error(const box::EventMessage& e) {
  std::string text(e.text, strnlen(e.text, sizeof e.text));
  return e.error ? text + ": " + std::strerror(e.error) : text;
}

SpawnResult result_of(const Box::Job& j) {
  SpawnResult r;
  const SpawnSpec& s = *j.spec;
  r.wall_ms = j.wall_ms;
  if (!j.start_error.empty()) {
    r.exec_errno = j.start_errno ? j.start_errno : EINVAL;
    return r;
  }
  int st = j.end.wait_status;
  if (WIFEXITED(st)) r.exit_code = WEXITSTATUS(st);
  if (WIFSIGNALED(st)) r.signal = WTERMSIG(st);
  r.cpu_ms = static_cast<double>(j.end.utime_us + j.end.stime_us) / 1e3;
  r.max_rss_kb = j.end.max_rss_kb;
  r.exec_errno = j.end.error;
  r.cpu_timeout = (s.cpu_ms > 0 && r.cpu_ms > s.cpu_ms) || r.signal == SIGXCPU;
  if (j.shared >= 0) {
    r.shared.resize(s.shared_bytes);
    ssize_t n = ::pread(j.shared, r.shared.data(), s.shared_bytes, 0);
    r.shared.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
  return r;
}

}  // namespace

uid_t Box::host_uid(box::Who who) const { return uid_[static_cast<int>(who)]; }
gid_t Box::host_gid(box::Who who) const { return gid_[static_cast<int>(who)]; }

Expected<std::unique_ptr<Box>> Box::start(const BoxOptions& o) {
  std::unique_ptr<Box> b(new Box);
  std::string root = o.dir + "/root";
  b->work_ = o.dir + "/work";
  b->as_root_ = ::geteuid() == 0;
  for (int w = 0; w < 3; ++w) {
    b->uid_[w] = b->as_root_ ? o.uid_base + 3 * o.slot + w : ::geteuid();
    b->gid_[w] = b->as_root_ ? o.uid_base + 3 * o.slot + w : ::getegid();
  }
  for (const std::string& d : {root, b->work_})
    if (Status st = make_dirs(d); !st) return Error(st.error());
  ::chmod(o.dir.c_str(), 0711);
  ::chmod(b->work_.c_str(), 0700);
  if (b->as_root_ && ::chown(b->work_.c_str(), b->uid_[0], b->gid_[0]) != 0)
    return SysError("chown " + b->work_);
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return SysError("socketpair");
  b->control_ = sv[0];
  std::vector<std::string> args = {o.executable, "--root", root, "--work", b->work_};
  for (const auto& d : o.readonly) args.insert(args.end(), {"--ro", d});
  if (b->as_root_) {
    std::string uids, gids;
    for (int w = 0; w < 3; ++w) {
      uids += (w ? "," : "") + std::to_string(b->uid_[w]);
      gids += (w ? "," : "") + std::to_string(b->gid_[w]);
    }
    args.insert(args.end(), {"--uids", uids, "--gids", gids});
  }
  SpawnOptions so;
  so.inherit_env = false, so.stdin_path = "/dev/null", so.stdout_path = "/dev/null";
  so.fds = {{sv[1], box::kControlFd}};
  auto pid = spawn_process(args, so);
  ::close(sv[1]);
  if (!pid) return Error(pid.error());
  b->pid_ = *pid;
  if (Status st = b->wait_ready(); !st) return Error(st.error());
  return b;
}

Status Box::wait_ready() {
  box::EventMessage e;
  int fd = -1;
  if (!readable(control_, 20000)) return Error("the sandbox box did not start within 20 s");
  if (!receive_event(control_, e, &fd))
    return Error("the sandbox box exited at start (its messages are on stderr)");
  if (fd >= 0) ::close(fd);
  if (e.event == static_cast<uint32_t>(box::Event::Failed))
    return Error("the sandbox box cannot start: " + event_error(e) +
                 " (HINT: it needs root or unprivileged user namespaces, "
                 "kernel.unprivileged_userns_clone=1)");
  if (e.event != static_cast<uint32_t>(box::Event::Ready)) return Error("the sandbox box sent no Ready");
  return {};
}

Box::~Box() {
  if (control_ >= 0) ::close(control_);  // the box's EOF: it kills its namespace and exits
  if (pid_ > 0) {
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

// Sends one job; the spec's extra descriptors are closed here whatever happens, the box
// holding its own copies once sent.
Status Box::submit(const SpawnSpec& s, Job& j) {
  j.spec = &s;
  j.id = next_job_++;
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, rep[2] = {-1, -1};
  int exec_fd = -1;
  auto cleanup = [&] {
    for (int* p : {in, out, err, rep}) close_pair(p);
    if (exec_fd >= 0) ::close(exec_fd);
    close_extra_fds(s);
  };
  Status st;
  for (int* p : {in, out, err})
    if (st.ok()) st = make_pipe(p);
  if (st.ok() && s.want_report) st = make_pipe(rep);
  if (st.ok() && s.shared_bytes > 0) {
    j.shared = static_cast<int>(::syscall(SYS_memfd_create, "stepcoder-shared", MFD_CLOEXEC));
    if (j.shared < 0 || ::ftruncate(j.shared, static_cast<off_t>(s.shared_bytes)) != 0)
      st = SysError("memfd for the shared region");
  }
  if (st.ok() && !s.exec_in_view && (exec_fd = ::open(s.exec_path.c_str(), O_RDONLY | O_CLOEXEC)) < 0)
    st = SysError("open " + s.exec_path);
  auto m = std::make_unique<box::JobMessage>();
  if (st.ok() && !pack_strings(s, *m)) st = Error("job arguments too long or empty");
  if (!st) {
    cleanup();
    return st;
  }
  std::vector<std::pair<int, int>> place = {{in[0], 0}, {out[1], 1}, {err[1], 2}};
  if (rep[1] >= 0) place.push_back({rep[1], kReportFd});
  if (j.shared >= 0) place.push_back({j.shared, kSharedFd});
  place.insert(place.end(), s.extra_fds.begin(), s.extra_fds.end());
  if (exec_fd >= 0) place.push_back({exec_fd, -1});
  if (place.size() > static_cast<size_t>(box::kMaxJobFds)) {
    cleanup();
    return Error("too many descriptors for one job");
  }
  box::JobHeader& h = m->h;
  h.job = j.id;
  h.who = static_cast<uint32_t>(s.who);
  h.exec_by_fd = exec_fd >= 0;
  h.nfds = static_cast<uint32_t>(place.size());
  std::vector<int> fds;
  for (size_t i = 0; i < place.size(); ++i) fds.push_back(place[i].first), h.fd_targets[i] = place[i].second;
  h.seccomp = s.seccomp;
  h.nofile = s.nofile;
  h.cpu_ms = s.cpu_ms, h.memory_bytes = s.memory_bytes, h.stack_bytes = s.stack_bytes;
  h.file_bytes = s.file_bytes;
  j.begin = SteadyClock::now();
  st = send_job(control_, *m, fds);
  close_extra_fds(s);
  // The child's ends live on in the box; the judge keeps its own.
  for (int* fd : {&in[0], &out[1], &err[1], &rep[1]})
    if (*fd >= 0) ::close(*fd), *fd = -1;
  if (exec_fd >= 0) ::close(exec_fd), exec_fd = -1;
  j.in = in[1], j.out = out[0], j.err = err[0], j.rep = rep[0];
  return st;
}

// Reads one event within `timeout_ms` and applies it to its job; false when the box is gone.
bool Box::dispatch_event(std::vector<Job>& jobs, int timeout_ms) {
  if (timeout_ms > 0 && !readable(control_, timeout_ms)) return false;
  box::EventMessage e;
  int fd = -1;
  if (!receive_event(control_, e, &fd)) return false;
  Job* j = nullptr;
  for (Job& x : jobs)
    if (x.id == e.job) j = &x;
  if (!j) {
    if (fd >= 0) ::close(fd);
    return true;
  }
  auto now = SteadyClock::now();
  if (e.event == static_cast<uint32_t>(box::Event::Started)) {
    j->started = true;
    j->pidfd = fd;
    return true;
  }
  if (fd >= 0) ::close(fd);
  if (e.event == static_cast<uint32_t>(box::Event::Failed)) {
    j->start_error = event_error(e);
    j->start_errno = e.error;
  } else if (e.event == static_cast<uint32_t>(box::Event::Finished)) {
    j->end = e;
  }
  j->finished = true;
  j->wall_ms = std::chrono::duration<double, std::milli>(now - j->begin).count();
  return true;
}

Status Box::await_started(Job& j, std::vector<Job>& jobs) {
  while (!j.started && !j.finished)
    if (!dispatch_event(jobs, 20000)) return Error("the sandbox box stopped answering");
  return {};
}

Expected<std::vector<SpawnResult>> Box::fail(const std::string& why) {
  broken_ = true;
  return Error(why);
}

Expected<std::vector<SpawnResult>> Box::run(const std::vector<SpawnSpec>& specs) {
  if (broken_) {
    for (const SpawnSpec& s : specs) close_extra_fds(s);
    return Error("the sandbox box is broken");
  }
  std::vector<Job> jobs(specs.size());
  auto close_jobs = [&] {
    for (Job& j : jobs) j.close_all();
  };
  for (size_t i = 0; i < specs.size(); ++i) {
    Status st = submit(specs[i], jobs[i]);
    if (st.ok()) st = await_started(jobs[i], jobs);
    if (!st) {
      for (size_t k = i + 1; k < specs.size(); ++k) close_extra_fds(specs[k]);
      close_jobs();
      return fail(st.error());
    }
  }
  std::vector<Watched> watched(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    Job& j = jobs[i];
    Watched& w = watched[i];
    w.spec = j.spec;
    w.in_fd = j.in, w.out_fd = j.out, w.err_fd = j.err, w.rep_fd = j.rep;
    j.in = j.out = j.err = j.rep = -1;  // supervise() closes them
    w.deadline = j.begin + std::chrono::milliseconds(j.spec->wall_ms);
    int pidfd = j.pidfd;
    w.kill = [pidfd] {
      if (pidfd >= 0) ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
    };
  }
  std::vector<SpawnResult> results(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) watched[i].result = &results[i], watched[i].exited = jobs[i].finished;
  bool ok = supervise(watched, control_, [&] {
    if (!dispatch_event(jobs, 0)) return false;
    for (size_t i = 0; i < jobs.size(); ++i) watched[i].exited = jobs[i].finished;
    return true;
  });
  if (!ok) {
    close_jobs();
    return fail("the sandbox box stopped answering");
  }
  for (size_t i = 0; i < jobs.size(); ++i) {
    SpawnResult r = result_of(jobs[i]);
    r.out = std::move(results[i].out), r.err = std::move(results[i].err);
    r.report = std::move(results[i].report);
    r.wall_timeout = results[i].wall_timeout, r.output_exceeded = results[i].output_exceeded;
    results[i] = std::move(r);
  }
  close_jobs();
  return results;
}

Status Box::clear_work() {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(work_, ec)) {
    fs::remove_all(e.path(), ec);
    if (ec) return Error("clearing " + work_ + ": " + ec.message());
  }
  if (ec) return Error("clearing " + work_ + ": " + ec.message());
  return {};
}

}  // namespace stepcoder::sandbox
