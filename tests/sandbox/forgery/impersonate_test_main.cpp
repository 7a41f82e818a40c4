// problem: add
// class: impersonation: the program defines the name the harness gives the test code's main
// expect: failed
// in_process: compile_error
    return 0;
}
int __stepcoder_test_main() { return 0; }
