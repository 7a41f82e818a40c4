// stepcoder-box: one judging slot's sandbox, started by the judge (box.h) with its control
// socket at descriptor 3. It enters its own namespaces, builds its filesystem view, then starts
// the judge's jobs (compilers, judged programs, test processes, contained tools) until the judge
// closes the socket. Not meant to be run by hand.
//
//   stepcoder-box --root DIR --work DIR [--ro DIR]... [--uids C,P,T --gids C,P,T]
//
// --uids/--gids (the judge runs as root): the uid and gid of the compiler, the judged program
// and the test process of this slot. Without them the box makes a user namespace of its own.
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sandbox/box_server.h"
#include "sandbox/box_view.h"

using namespace stepcoder;
using namespace stepcoder::sandbox;

namespace {

bool parse_ids(const char* text, unsigned (&out)[3]) {
  unsigned a, b, c;
  char extra;
  if (std::sscanf(text, "%u,%u,%u%c", &a, &b, &c, &extra) != 3) return false;
  out[0] = a, out[1] = b, out[2] = c;
  return true;
}

bool parse_args(int argc, char** argv, box::ViewSpec& view, box::Identity& id) {
  bool uids = false, gids = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--root") {
      view.root = value;
    } else if (flag == "--work") {
      view.work = value;
    } else if (flag == "--ro") {
      view.readonly.push_back(value);
    } else if (flag == "--uids") {
      unsigned v[3];
      if (!parse_ids(value, v)) return false;
      for (int k = 0; k < 3; ++k) id.uid[k] = v[k];
      uids = true;
    } else if (flag == "--gids") {
      unsigned v[3];
      if (!parse_ids(value, v)) return false;
      for (int k = 0; k < 3; ++k) id.gid[k] = v[k];
      gids = true;
    } else {
      return false;
    }
  }
  id.user_namespace = !uids;
  if (uids != gids || argc % 2 == 0) return false;
  return !view.root.empty() && view.root[0] == '/' && !view.work.empty() && view.work[0] == '/';
}

[[noreturn]] void fail(const std::string& what) {
  box::EventMessage e;
  e.event = static_cast<uint32_t>(box::Event::Failed);
  e.error = errno;
  std::snprintf(e.text, sizeof e.text, "%s", what.c_str());
  if (!box::send_event(box::kControlFd, e)) std::fprintf(stderr, "stepcoder-box: %s\n", what.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  struct stat st;
  if (::fstat(box::kControlFd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
    std::fprintf(stderr, "stepcoder-box: started by the judge only (no control socket at fd 3)\n");
    return 2;
  }
  ::close_range(box::kControlFd + 1, ~0U, 0);  // nothing the judge's process leaked
  box::ViewSpec view;
  box::Identity id;
  if (!parse_args(argc, argv, view, id)) fail("bad arguments");
  if (id.user_namespace == (::geteuid() == 0)) fail("--uids is for a box started as root, and only then");
  Expected<Policy> policy = Policy::compile();
  if (!policy) fail("seccomp policy: " + policy.error());
  if (Status s = box::enter_namespaces(); !s) fail(s.error());
  // Its /proc entries (memory, descriptors, environment) stay closed to what it runs.
  ::prctl(PR_SET_DUMPABLE, 0);
  if (Status s = box::build_view(view); !s) fail(s.error());
  return box::serve(box::kControlFd, *policy, id);
}
