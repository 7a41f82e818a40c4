// problem: add
// class: report channel: a forged stream of passes in both record formats, then _exit
// expect: runtime_error
// in_process: failed
    const char old_format[] = "P\nP\nP\nR0\nOK\n";
    write(3, old_format, sizeof old_format - 1);
    const char pass[] = {'P', 4, 0, 0, 0, 0, 0, 0, 0};
    for (int site = 0; site < 3; ++site) {
        char rec[9];
        memcpy(rec, pass, 9);
        rec[5] = (char)site;
        write(3, rec, 9);
    }
    const char done[] = {'D', 0, 0, 0, 0};
    write(3, done, 5);
    _exit(0);
}
