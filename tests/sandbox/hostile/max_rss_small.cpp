// expect: passed
// Its own memory is what the judge measures: a trivial program never reads as a memory limit,
// whatever the judge's own size (the hostile test runs with a 96 MiB limit).
int main() { return 0; }
