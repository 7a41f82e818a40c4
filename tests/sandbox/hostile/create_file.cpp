// expect: violation
#include <fcntl.h>
int main() { return creat("/tmp/stepcoder-hostile-creat", 0644) < 0; }
