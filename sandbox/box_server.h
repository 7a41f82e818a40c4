// Inside the box, once its view is built: the loop that starts the judge's jobs and reports
// their ends (box_protocol.h). The box is PID 1 of its namespace, so it reaps every process
// there, and whenever no job is left running it kills whatever remains (a compiler's
// children), so nothing of one job outlives it into the next.
#pragma once

#include <sys/types.h>

#include "sandbox/box_protocol.h"
#include "sandbox/policy.h"

namespace stepcoder::sandbox::box {

// Who runs as whom. As root every Who has its own uid and gid (the slot's, from the judge);
// without root the box is in a user namespace with one uid, and children drop every capability.
struct Identity {
  bool user_namespace = false;
  uid_t uid[3] = {0, 0, 0};  // indexed by Who
  gid_t gid[3] = {0, 0, 0};
};

// Sends Ready, then serves until the judge closes the control socket. Returns the exit status.
int serve(int control_fd, const Policy& policy, const Identity& id);

// Sends one event (and optionally one descriptor); false when the judge is gone.
bool send_event(int control_fd, const EventMessage& e, int fd = -1);

}  // namespace stepcoder::sandbox::box
