// expect: compile_error
// no-leak: HOME=
// The box's environment (it has none) and the compiler's own (PATH, LANG, TMPDIR: nothing of
// the judge's).
#include "/proc/1/environ"
int main() {}
