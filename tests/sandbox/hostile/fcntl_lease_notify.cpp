// expect: violation
// Leases and directory notifications reach other processes' files.
#include <fcntl.h>
int main() { return fcntl(0, F_SETLEASE, F_RDLCK) + fcntl(0, F_NOTIFY, DN_MODIFY); }
