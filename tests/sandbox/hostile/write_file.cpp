// expect: violation
#include <cstdio>
int main() { FILE* f = std::fopen("/tmp/stepcoder-hostile-write", "w"); if (f) std::fputs("x", f); return 0; }
