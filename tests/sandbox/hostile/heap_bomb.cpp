// expect: memory_limit
#include <cstring>
int main() { for (;;) { char* p = new char[1 << 20]; std::memset(p, 1, 1 << 20); } }
