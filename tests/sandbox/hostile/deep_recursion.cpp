// expect: runtime_error
int f(int n) { volatile char pad[256]; pad[0] = (char)n; return f(n + 1) + pad[0]; }
int main() { return f(0); }
