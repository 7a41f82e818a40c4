// expect: violation
#include <sys/syscall.h>
#include <unistd.h>
int main() { return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0) < 0; }
