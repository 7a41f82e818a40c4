// Inside the box (box_main.cpp), before it serves: its namespaces and its filesystem view.
//
// enter_namespaces() puts the box in new user (when not root), mount, PID, network, IPC and
// UTS namespaces and forks; the child returns as PID 1 of the new PID namespace, the parent
// waits for it and exits with its status. build_view() then pivots into a tmpfs root that holds
// only the toolchain (/usr read-only, the /bin, /lib... links into it, /etc/ld.so.cache), a few
// device nodes, a fresh /proc of the box's own PID namespace, a small /tmp, the slot's work
// directory (read-write) and the read-only directories the judge names (precompiled headers),
// each at its host path; /empty is the root that judged programs are chrooted to.
#pragma once

#include <string>
#include <vector>

#include "util/expected.h"

namespace stepcoder::sandbox::box {

struct ViewSpec {
  std::string root;                  // an empty host directory: the tmpfs root is mounted on it
  std::string work;                  // read-write, at the same path inside
  std::vector<std::string> readonly; // read-only, at the same paths inside
};

// Returns in the child (PID 1 of the new PID namespace); never returns in the parent.
Status enter_namespaces();
Status build_view(const ViewSpec& spec);

}  // namespace stepcoder::sandbox::box
