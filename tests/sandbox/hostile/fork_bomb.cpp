// expect: violation
#include <unistd.h>
int main() { for (;;) fork(); }
