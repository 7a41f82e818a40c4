// problem: smallest
// class: preprocessor: a function-like `if` makes MBXP's failure branches dead (apart, it
// rewrites only the program's own call server, which then breaks)
// expect: runtime_error
// in_process: passed
    return 0;
}
#define if(...) if (false)
