// expect: violation
#include <sys/stat.h>
int main() { return mkdir("/tmp/stepcoder-hostile-dir", 0755); }
