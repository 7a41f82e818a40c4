// problem: add
// class: impersonation: the program defines the harness's check function before the harness does
// expect: failed
// in_process: compile_error
    return 0;
}
namespace __sc_rep {
inline void check(bool, unsigned, int, const char*) {}
}
