// problem: add
// class: reaching the tests: shrink the other processes' address space
// expect: violation
// in_process: violation
    struct rlimit tiny = {1 << 20, 1 << 20};
    for (int pid = 1; pid < 64; ++pid)
        if (pid != getpid()) prlimit(pid, RLIMIT_AS, &tiny, nullptr);
    return 0;
}
