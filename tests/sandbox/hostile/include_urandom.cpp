// expect: compile_error
#include </dev/urandom>
int main() {}
