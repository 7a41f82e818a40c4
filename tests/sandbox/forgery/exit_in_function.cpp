// problem: add
// class: early exit: exit(0) before any check can fail
// expect: runtime_error
// in_process: failed
    exit(0);
}
