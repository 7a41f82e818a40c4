// expect: violation
// Choose the signal that descriptor I/O sends: SIGKILL.
#include <csignal>
#include <fcntl.h>
int main() { return fcntl(1, F_SETSIG, SIGKILL); }
