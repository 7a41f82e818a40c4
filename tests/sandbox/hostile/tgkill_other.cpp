// expect: violation
#include <csignal>
#include <sys/syscall.h>
#include <unistd.h>
int main() { return syscall(SYS_tgkill, 1, 1, SIGKILL); }
