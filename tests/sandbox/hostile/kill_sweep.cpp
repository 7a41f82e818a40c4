// expect: violation
// Probe or kill every pid (its siblings, the test process, the judge).
#include <csignal>
#include <unistd.h>
int main() {
  for (int pid = 1; pid < 32768; ++pid)
    if (pid != getpid()) kill(pid, SIGKILL);
  return 0;
}
