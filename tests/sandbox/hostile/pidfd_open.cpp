// expect: violation
// A pidfd to signal another process without naming it again.
#include <sys/syscall.h>
#include <unistd.h>
int main() { return syscall(SYS_pidfd_open, 1, 0); }
