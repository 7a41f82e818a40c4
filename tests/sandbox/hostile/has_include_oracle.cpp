// expect: passed
// __has_include as an oracle of which host files exist: in the view only the toolchain does, so
// this program exits 0. (A control: the standard headers are there.)
#if __has_include("/etc/passwd") || __has_include("/root") || !__has_include(<vector>)
int main() { return 1; }
#else
int main() { return 0; }
#endif
