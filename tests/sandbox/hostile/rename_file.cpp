// expect: violation
#include <cstdio>
int main() { return std::rename("/tmp/stepcoder-hostile-victim", "/tmp/stepcoder-hostile-moved"); }
