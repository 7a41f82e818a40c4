// problem: add
// class: symbol interposition: a strlen of its own for whatever reports with the C library
// expect: failed
// in_process: failed
    return 0;
}
extern "C" size_t strlen(const char*) { return 0; }
