// expect: timeout
#include <unistd.h>
int main() { sleep(100); return 0; }
