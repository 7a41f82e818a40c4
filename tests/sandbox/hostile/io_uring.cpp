// expect: violation
#include <sys/syscall.h>
#include <unistd.h>
int main() { char params[120] = {}; return syscall(SYS_io_uring_setup, 8, params) < 0; }
