// problem: add
// class: preprocessor: a macro after the function rewrites the checks that follow it (apart,
// it rewrites only the program's own call server, which then breaks)
// expect: compile_error
// in_process: passed
    return 0;
}
#define static_cast true ? true : static_cast
