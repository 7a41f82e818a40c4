// expect: violation
// Starve the other samples: renice every process of the user.
#include <sys/resource.h>
int main() { return setpriority(PRIO_USER, 0, 19); }
