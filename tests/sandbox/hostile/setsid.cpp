// expect: violation
#include <unistd.h>
int main() { setsid(); for (;;) sleep(1); }
