// Where statements begin in a program, from Clang's AST: the split points of the CCCS curriculum
// (curriculum/splitter.h). The parse is the instrumenter's own (clang_parse.h: same flags, same
// precompiled <bits/stdc++.h>), so a program yields points exactly when the instrumenter can
// parse it, and Clang's headers stay inside coverage/.
//
//   auto starts = statement_starts(program, StatementKind::Control);
//   if (!starts) return Error("does not parse: " + starts.error());
//   // program offsets of each if/for/while/do/switch ('else if' counts with its 'if')
#pragma once

#include <string>
#include <vector>

#include "coverage/instrument.h"
#include "util/expected.h"

namespace stepcoder::coverage {

enum class StatementKind {
  Control,  // if, for, range-for, while, do, switch; an `else if` goes with its `if`
  Any,      // every statement directly inside a compound block
};

// Program offsets (in the main file, in AST order, possibly repeated) where statements of that
// kind begin. Errors: Clang's first errors ("3:5: error: ..."), or why it could not run.
Expected<std::vector<size_t>> statement_starts(const std::string& program, StatementKind kind,
                                               const InstrumentOptions& opts = {});

// The Clang release that finds the points (part of cache keys of such points).
std::string front_end_version();

}  // namespace stepcoder::coverage
