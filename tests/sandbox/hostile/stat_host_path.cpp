// expect: violation
// File metadata of host paths: newfstatat on a path is refused.
#include <sys/stat.h>
int main() {
  struct stat st;
  return stat("/etc/passwd", &st);
}
