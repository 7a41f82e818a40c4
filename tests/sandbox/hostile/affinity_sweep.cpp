// expect: violation
// A process list through sched_getaffinity over pids.
#include <sched.h>
int main() {
  cpu_set_t set;
  int alive = 0;
  for (int pid = 1; pid < 32768; ++pid) alive += sched_getaffinity(pid, sizeof set, &set) == 0;
  return alive;
}
