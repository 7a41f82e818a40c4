// expect: violation
// 32-bit system calls through int 0x80 (here i386 getpid) are another architecture.
int main() { long r; __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory"); return (int)r; }
