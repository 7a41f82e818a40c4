// expect: violation
#include <unistd.h>
int main() { if (vfork() == 0) _exit(0); return 0; }
