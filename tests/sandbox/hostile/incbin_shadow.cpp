// expect: compile_error
// no-leak: root:
// The assembler embeds a root-only host file into the binary: the compiler's view has no /etc/shadow.
#include <cstdio>
asm(".section .rodata\n.global stolen\nstolen:\n.incbin \"/etc/shadow\"\n.byte 0\n.text\n");
extern "C" const char stolen[];
int main() { std::puts(stolen); }
