// The supervising poll loop: see supervise.h.
#include "sandbox/supervise.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace stepcoder::sandbox {

namespace {

struct Stream {
  int fd;
  std::string* sink;
  size_t cap;
  bool output;  // stdout or stderr: counts against the output cap
};

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Reads what is there; returns false when the stream went over its cap. Closes it at EOF.
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
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    ::close(s.fd);
    s.fd = -1;
    return true;
  }
}

// Per process: its streams and how far its stdin got.
struct State {
  Watched* w = nullptr;
  Stream streams[3] = {};
  size_t in_off = 0;
  bool killed = false;
  SteadyClock::time_point killed_at;
};

void kill_once(State& s) {
  if (s.killed || s.w->exited) return;
  s.killed = true;
  s.killed_at = SteadyClock::now();
  if (s.w->kill) s.w->kill();
}

void feed_stdin(State& s) {
  const std::string& data = s.w->spec->stdin_data;
  ssize_t m = ::write(s.w->in_fd, data.data() + s.in_off, data.size() - s.in_off);
  if (m > 0) s.in_off += static_cast<size_t>(m);
  if (m < 0 && errno != EAGAIN && errno != EINTR) s.in_off = data.size();  // EPIPE: it stopped reading
  if (s.in_off >= data.size()) {
    ::close(s.w->in_fd);
    s.w->in_fd = -1;
  }
}

bool done(const std::vector<State>& states) {
  for (const State& s : states) {
    if (!s.w->exited) return false;
    for (const Stream& st : s.streams)
      if (st.fd >= 0) return false;
  }
  return true;
}

std::vector<State> prepare(std::vector<Watched>& procs) {
  std::vector<State> states;
  for (Watched& w : procs) {
    State s;
    s.w = &w;
    s.streams[0] = {w.out_fd, &w.result->out, w.spec->output_cap, true};
    s.streams[1] = {w.err_fd, &w.result->err, w.spec->output_cap, true};
    s.streams[2] = {w.rep_fd, &w.result->report, 1 << 20, false};
    for (int fd : {w.out_fd, w.err_fd, w.rep_fd, w.in_fd})
      if (fd >= 0) set_nonblocking(fd);
    if (w.in_fd >= 0 && w.spec->stdin_data.empty()) {
      ::close(w.in_fd);
      w.in_fd = -1;
    }
    states.push_back(s);
  }
  return states;
}

// Deadlines: a process past its wall-clock limit is killed; one killed and not reported
// gone 10 seconds later means the exit source is broken.
bool check_deadlines(std::vector<State>& states, int* timeout_ms) {
  auto now = SteadyClock::now();
  for (State& s : states) {
    if (s.w->exited) continue;
    if (now >= s.w->deadline && !s.killed) {
      s.w->result->wall_timeout = true;
      kill_once(s);
    }
    if (s.killed && now - s.killed_at > std::chrono::seconds(10)) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(s.w->deadline - now).count();
    if (!s.killed) *timeout_ms = static_cast<int>(std::clamp<int64_t>(left, 0, *timeout_ms));
  }
  return true;
}

}  // namespace

bool supervise(std::vector<Watched>& procs, int exit_fd, const std::function<bool()>& on_exit_ready) {
  // A program that exits without reading its input makes our write fail with EPIPE; the SIGPIPE
  // that comes with it is blocked on this thread and consumed, not left to kill the judge.
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  std::vector<State> states = prepare(procs);
  bool ok = true;
  while (ok && !done(states)) {
    int timeout_ms = 1000;
    if (!check_deadlines(states, &timeout_ms)) {
      ok = false;
      break;
    }
    std::vector<pollfd> pfds;
    std::vector<std::pair<State*, int>> who;  // (state, stream index; 3 = stdin)
    for (State& s : states) {
      for (int i = 0; i < 3; ++i)
        if (s.streams[i].fd >= 0) pfds.push_back({s.streams[i].fd, POLLIN, 0}), who.push_back({&s, i});
      if (s.w->in_fd >= 0) pfds.push_back({s.w->in_fd, POLLOUT, 0}), who.push_back({&s, 3});
    }
    pfds.push_back({exit_fd, POLLIN, 0});
    int rc = ::poll(pfds.data(), pfds.size(), timeout_ms);
    if (rc < 0 && errno != EINTR) break;
    if (rc <= 0) continue;
    for (size_t k = 0; k + 1 < pfds.size(); ++k) {
      if (!pfds[k].revents) continue;
      State& s = *who[k].first;
      int i = who[k].second;
      if (i == 3) {
        feed_stdin(s);
      } else if (!drain(s.streams[i]) && s.streams[i].output && s.w->spec->kill_on_output_cap) {
        s.w->result->output_exceeded = true;
        kill_once(s);
      }
    }
    if (pfds.back().revents) ok = on_exit_ready();
  }
  for (State& s : states)
    for (Stream& st : s.streams)
      if (st.fd >= 0) ::close(st.fd);
  for (Watched& w : procs)
    if (w.in_fd >= 0) ::close(w.in_fd), w.in_fd = -1;
  timespec zero{0, 0};
  while (::sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return ok;
}

}  // namespace stepcoder::sandbox
