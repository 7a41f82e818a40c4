// expect: timeout
// A program that catches SIGXCPU and SIGTERM still ends at the limits.
#include <csignal>
static void h(int) {}
int main() { signal(SIGXCPU, h); signal(SIGTERM, h); volatile long x = 0; for (;;) x++; }
