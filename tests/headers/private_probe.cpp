// Never built with the rest: HeaderPrivacy.AnotherLibrarysPrivateHeaderDoesNotCompile builds it
// and expects the compiler to reject the include, because clang_parse.h is private to coverage/
// (cmake/headers.cmake). public_probe.cpp shows that the same target setup compiles otherwise.
#include "coverage/clang_parse.h"

int stepcoder_private_probe() { return 0; }
