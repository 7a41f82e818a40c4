// expect: passed
// Its own CPU set, through sched_getaffinity(0, ...): allowed.
#include <sched.h>
int main() {
  cpu_set_t set;
  return sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0 ? 0 : 1;
}
