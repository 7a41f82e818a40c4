// problem: smallest
// class: preprocessor: a function-like `if` makes MBXP's failure branches dead (apart, it
// rewrites only the program's own call server, whose loop then never ends)
// expect: timeout
// in_process: passed
    return 0;
}
#define if(...) if (false)
