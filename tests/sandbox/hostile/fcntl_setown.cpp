// expect: violation
// SIGIO to any pid: name another process as the owner of a descriptor.
#include <fcntl.h>
#include <unistd.h>
int main() { return fcntl(1, F_SETOWN, 1); }
