// expect: memory_limit
static char big[3ul << 29];  // 1.5 GiB: over the limit, under the 2 GiB small code model
int main() { for (unsigned long i = 0; i < sizeof big; i += 4096) big[i] = 1; return big[12345]; }
