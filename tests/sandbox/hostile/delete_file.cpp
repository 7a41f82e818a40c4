// expect: violation
#include <unistd.h>
int main() { return unlink("/tmp/stepcoder-hostile-victim"); }
