// problem: add
// class: reaching the tests: SIGKILL by I/O signal, F_SETOWN and F_SETSIG on a pipe
// expect: violation
// in_process: violation
    fcntl(1, F_SETSIG, SIGKILL);
    fcntl(1, F_SETOWN, getpid() + 1);
    fcntl(1, F_SETFL, O_ASYNC);
    return 0;
}
