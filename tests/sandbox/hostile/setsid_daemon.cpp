// expect: violation
#include <unistd.h>
int main() { if (daemon(0, 0) == 0) { for (;;) sleep(1); } setsid(); return 0; }
