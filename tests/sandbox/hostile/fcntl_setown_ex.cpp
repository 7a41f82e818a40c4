// expect: violation
#include <fcntl.h>
int main() {
  struct f_owner_ex owner = {F_OWNER_PID, 1};
  return fcntl(1, F_SETOWN_EX, &owner);
}
