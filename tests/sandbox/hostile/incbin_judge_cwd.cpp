// expect: compile_error
// The judge's working directory through /proc (the problem files lie there): PID 1 of the
// compiler's namespace is its box, whose root is the view.
#include <cstdio>
asm(".section .rodata\n.global stolen\nstolen:\n.incbin \"/proc/1/cwd/examples/suite/train.jsonl\"\n.byte 0\n.text\n");
extern "C" const char stolen[];
int main() { std::puts(stolen); }
