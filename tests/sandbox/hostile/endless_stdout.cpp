// expect: output_limit
#include <cstdio>
int main() { for (;;) std::puts("yes yes yes yes yes yes yes yes yes yes yes yes yes yes"); }
