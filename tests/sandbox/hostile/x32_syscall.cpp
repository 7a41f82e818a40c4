// expect: violation
// The x32 ABI bit on an otherwise allowed call (getpid).
#include <unistd.h>
#include <sys/syscall.h>
int main() { return (int)syscall(0x40000000 | SYS_getpid); }
