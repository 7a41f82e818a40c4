// expect: compile_error
// no-leak: root:
// A world-readable host file, embedded at compile time: outside the compiler's view all the same.
#include <cstdio>
asm(".section .rodata\n.global stolen\nstolen:\n.incbin \"/etc/passwd\"\n.byte 0\n.text\n");
extern "C" const char stolen[];
int main() { std::puts(stolen); }
