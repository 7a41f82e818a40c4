// problem: add
// class: the nonce: argv[1] found through program_invocation_name, echoed as the completion
// expect: runtime_error
// in_process: failed
    const char* arg1 = program_invocation_name + strlen(program_invocation_name) + 1;
    const char lines[] = "P\nP\nP\nR0\n";
    write(3, lines, sizeof lines - 1);
    write(3, arg1, strlen(arg1));
    write(3, "\n", 1);
    char done[5] = {'D', (char)strlen(arg1), 0, 0, 0};
    write(3, done, 5);
    write(3, arg1, strlen(arg1));
    _exit(0);
}
