// expect: violation
#include <csignal>
#include <unistd.h>
int main() { kill(getppid(), SIGKILL); return 0; }
