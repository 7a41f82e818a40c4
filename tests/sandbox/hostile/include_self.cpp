// expect: compile_error
#include __FILE__
int main() {}
