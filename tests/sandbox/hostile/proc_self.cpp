// expect: violation
#include <cstdio>
int main() { FILE* f = std::fopen("/proc/self/maps", "r"); char b[64]; return f && std::fgets(b, 64, f) ? 0 : 1; }
