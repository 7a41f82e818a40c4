// Built with everything: a target that links the curriculum sees coverage's public headers.
// Its twin, private_probe.cpp, differs only in the header it includes.
#include "coverage/judge_coverage.h"

int stepcoder_public_probe() { return 0; }
