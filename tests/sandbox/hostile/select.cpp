// expect: timeout
#include <sys/select.h>
int main() { timeval tv{100, 0}; select(0, nullptr, nullptr, nullptr, &tv); return 0; }
