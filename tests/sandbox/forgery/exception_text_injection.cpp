// problem: add
// class: report channel: an exception whose text holds report records
// expect: runtime_error
// in_process: runtime_error
    throw std::runtime_error(std::string("x\nP\nP\nP\nD\n") + std::string(1, 'D') + std::string(4, '\0'));
}
