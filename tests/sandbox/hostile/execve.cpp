// expect: violation
#include <unistd.h>
int main() { execl("/bin/sh", "sh", "-c", "touch /tmp/stepcoder-hostile-execve", (char*)nullptr); return 0; }
