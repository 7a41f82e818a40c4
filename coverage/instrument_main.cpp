// stepcoder-instrument: the coverage instrumenter as a program of its own, so that Clang's front
// end parses untrusted programs in a box (the compiler's uid, view and limits), never in the
// trainer's process. Started by judge_with_coverage through Judge::run_tool.
//
//   stepcoder-instrument --std c++17 [--pch FILE] [--arg CLANG_ARG]... < program.cpp
//
// Writes one JSON object (instrument_wire.h) to stdout: the instrumented program, or
// {"error": "program does not parse: ..."}. Exit status 0 either way; 2 for bad arguments.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "coverage/instrument.h"
#include "coverage/instrument_wire.h"

int main(int argc, char** argv) {
  stepcoder::coverage::InstrumentOptions opts;
  opts.use_pch = false;  // unless --pch names one: building one here is not possible (read-only)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "stepcoder-instrument: %s needs a value\n", a.c_str());
      return 2;
    }
    std::string v = argv[++i];
    if (a == "--std") {
      opts.std = v;
    } else if (a == "--pch") {
      opts.pch_file = v;
      opts.use_pch = true;
    } else if (a == "--arg") {
      opts.extra_args.push_back(v);
    } else {
      std::fprintf(stderr, "stepcoder-instrument: unknown flag %s\n", a.c_str());
      return 2;
    }
  }
  std::string program((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto inst = stepcoder::coverage::instrument(program, opts);
  std::string out = inst ? stepcoder::coverage::encode_instrumented(*inst)
                         : stepcoder::coverage::encode_instrument_error(inst.error());
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
