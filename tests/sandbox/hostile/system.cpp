// expect: violation
#include <cstdlib>
int main() { return std::system("touch /tmp/stepcoder-hostile-system"); }
