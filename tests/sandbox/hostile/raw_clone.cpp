// expect: violation
#include <sys/syscall.h>
#include <unistd.h>
#include <csignal>
int main() { syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0); return 0; }
