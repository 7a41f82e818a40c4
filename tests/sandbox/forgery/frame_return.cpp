// problem: add
// class: frame tricks: inline assembly that returns from the caller (the test code's main) at
// once, so the checks after the first never run
// expect: runtime_error
// in_process: failed
    __asm__ volatile("leave\n\taddq $8, %rsp\n\tleave\n\txorl %eax, %eax\n\tret");
    return 0;
}
