// Statement-coverage instrumenter: parses a program with Clang and inserts a counter increment
// before every statement of every function body (and one per function entry). The result is a
// translation-unit prefix the judge compiles instead of the program; test code may follow it.
//
//   auto inst = coverage::instrument(program);
//   if (!inst) return plain_judge();          // "program does not parse: 3:5: error: ..."
//   req.instrumented_source = inst->source;
//   req.shared_bytes = inst->shared_bytes();
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.h"

namespace stepcoder::coverage {

// A span of the original program: byte offsets [begin, end) and 1-based line/column of its
// first byte and of its last byte.
struct SourceSpan {
  size_t begin = 0, end = 0;
  int line = 0, column = 0;
  int end_line = 0, end_column = 0;
};

// One instrumented statement: counter `counter` is incremented right before it runs.
struct Statement {
  uint32_t counter = 0;
  SourceSpan span;
  int function = -1;  // index into Instrumented::functions
};

// A function (or lambda) whose body was instrumented; `counter` counts its entries.
struct Function {
  std::string name;  // qualified name; lambdas are "lambda@LINE:COL"
  SourceSpan span;   // the whole definition, from its first token to the closing brace
  int name_line = 0; // line of its name (of the `[` for lambdas), where reports put it
  uint32_t counter = 0;
  bool is_lambda = false;
};

struct Instrumented {
  std::string program;  // the original program
  std::string source;   // runtime prelude + `#line 1` + the program with counters inserted
  std::vector<Statement> statements;  // sorted by span.begin
  std::vector<Function> functions;    // sorted by span.begin
  uint32_t counters = 0;

  // Bytes of the shared region the program writes (a header and one uint64 per counter).
  size_t shared_bytes() const;
};

struct InstrumentOptions {
  std::string std = "c++17";
  // Parse as the judge compiles: <bits/stdc++.h> included first (through a cached Clang PCH).
  bool force_include_stdcpp = true;
  bool use_pch = true;
  std::string cache_dir;  // "" = $XDG_CACHE_HOME/stepcoder/coverage or ~/.cache/stepcoder/...
  std::string pch_file;   // a precompiled <bits/stdc++.h> to use as it is, built by the caller
                          // (the contained instrumenter's view is read-only)
  std::vector<std::string> extra_args;  // more Clang arguments (-D..., -I...)
};

// Parses and instruments `program`. Fails with the first Clang errors when it does not parse.
Expected<Instrumented> instrument(const std::string& program, const InstrumentOptions& opts = {});

}  // namespace stepcoder::coverage
