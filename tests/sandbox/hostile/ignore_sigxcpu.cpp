// expect: timeout
#include <csignal>
int main() { signal(SIGXCPU, SIG_IGN); volatile unsigned long x = 0; for (;;) x++; }
