// problem: add
// class: reaching the tests: signal every other process in sight (the test process among them)
// expect: violation
// in_process: violation
    for (int pid = 1; pid < 64; ++pid)
        if (pid != getpid()) kill(pid, SIGKILL);
    return 0;
}
