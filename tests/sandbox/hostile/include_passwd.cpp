// expect: compile_error
// no-leak: root:
#include "/etc/passwd"
int main() {}
