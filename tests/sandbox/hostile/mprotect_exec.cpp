// expect: violation
#include <sys/mman.h>
#include <cstdint>
static unsigned char code[8192] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};
int main() {
  uintptr_t page = ((uintptr_t)code + 4095) & ~uintptr_t(4095);
  return mprotect((void*)page, 4096, PROT_READ | PROT_EXEC);
}
