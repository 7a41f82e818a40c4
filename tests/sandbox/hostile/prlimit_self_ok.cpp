// expect: passed
// Its own limits, read and lowered through prlimit64(0, ...): allowed.
#include <sys/resource.h>
int main() {
  struct rlimit r;
  if (getrlimit(RLIMIT_STACK, &r) != 0) return 1;
  struct rlimit lower = {1 << 20, r.rlim_max};
  return setrlimit(RLIMIT_STACK, &lower);
}
