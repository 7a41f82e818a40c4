// expect: compile_error
// The host's root through another process's /proc/PID/root: no process of the host is in view.
#include "/proc/1/root/etc/passwd"
int main() {}
