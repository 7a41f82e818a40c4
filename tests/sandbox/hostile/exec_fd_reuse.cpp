// expect: runtime_error
// The descriptor the judge starts programs through is closed on exec; reusing its number fails.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
int main() {
  char* argv[] = {nullptr};
  long rc = syscall(SYS_execveat, 9, "", argv, argv, AT_EMPTY_PATH);
  return rc < 0 ? 7 : 0;
}
