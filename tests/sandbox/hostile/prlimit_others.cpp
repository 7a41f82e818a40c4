// expect: violation
// Cripple other processes (the other samples, the judge): RLIMIT_AS of 1 MiB for every pid.
#include <sys/resource.h>
int main() {
  struct rlimit tiny = {1 << 20, 1 << 20};
  for (int pid = 1; pid < 32768; ++pid) prlimit(pid, RLIMIT_AS, &tiny, nullptr);
  return 0;
}
