// problem: add
// class: report channel: one stray byte on the report descriptor desynchronises a parser
// expect: failed
// in_process: failed
    return 0;
}
#include <unistd.h>
static int stray = (write(3, "x", 1), 0);
