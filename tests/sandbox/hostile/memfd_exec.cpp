// expect: violation
// Writing an executable into a memfd and running it through execveat.
#include <sys/syscall.h>
#include <unistd.h>
int main() { long fd = syscall(SYS_memfd_create, "x", 0); return fd < 0 ? 3 : 0; }
