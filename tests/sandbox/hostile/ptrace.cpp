// expect: violation
#include <sys/ptrace.h>
int main() { ptrace(PTRACE_TRACEME, 0, nullptr, nullptr); return 0; }
