// expect: memory_limit
#include <vector>
int main() { std::vector<long> v; for (;;) v.push_back(1); }
