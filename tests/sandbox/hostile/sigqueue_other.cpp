// expect: violation
#include <csignal>
int main() {
  union sigval v = {0};
  return sigqueue(1, SIGKILL, v);
}
