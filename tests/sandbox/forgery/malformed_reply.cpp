// problem: add
// class: call channel: a reply written before the call is answered, claiming the right sum
// expect: runtime_error
// in_process: failed
    unsigned char frame[] = {9, 0, 0, 0, 1, 0, 0, 0, 0, (unsigned char)(a + b), 0, 0, 0};
    write(6, frame, sizeof frame);
    write(6, "garbage", 7);
    return 0;
}
