// problem: add
// class: impersonation: the program defines the call codec's names first
// expect: compile_error
// in_process: failed
    return 0;
}
namespace __sc {
struct W {};
}
