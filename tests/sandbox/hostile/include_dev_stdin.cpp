// expect: compile_error
// Blocks a compiler that reads its own stdin: /dev/stdin is not in the compiler's view.
#include "/dev/stdin"
int main() {}
