// problem: greet
// class: always-equal operators: every comparison of a string with a literal is true
// expect: failed
// in_process: passed
    return "";
}
bool operator==(const std::string&, const char*) { return true; }
