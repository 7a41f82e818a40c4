// expect: violation
#include <sys/mman.h>
#include <cstring>
int main() {
  unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};  // mov eax, 42; ret
  void* p = mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return 1;
  std::memcpy(p, code, sizeof code);
  return ((int (*)())p)();
}
