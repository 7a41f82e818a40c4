// problem: sorted
// class: always-equal operators: every comparison of two vectors is true
// expect: failed
// in_process: passed
    return v;
}
bool operator==(const std::vector<int>&, const std::vector<int>&) { return true; }
