// problem: add
// class: report channel: the completion secret read from its descriptor, then forged records
// expect: runtime_error
// in_process: passed
    char secret[64];
    long n = read(7, secret, sizeof secret);
    for (int site = 0; site < 3; ++site) {
        char rec[9] = {'P', 4, 0, 0, 0, (char)site, 0, 0, 0};
        write(3, rec, 9);
    }
    char head[5] = {'D', (char)(n > 0 ? n : 0), 0, 0, 0};
    write(3, head, 5);
    if (n > 0) write(3, secret, n);
    _exit(0);
}
