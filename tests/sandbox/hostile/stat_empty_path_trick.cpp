// expect: passed
// newfstatat with AT_EMPTY_PATH but a path after all: allowed by the filter, yet the program's
// root is empty, so no host path names anything.
#include <fcntl.h>
#include <sys/stat.h>
int main() {
  struct stat st;
  int found = 0;
  for (const char* p : {"/etc/passwd", "/usr", "/proc/1", "/tmp", "/root", "/work"})
    found += fstatat(AT_FDCWD, p, &st, AT_EMPTY_PATH) == 0;
  return found;
}
