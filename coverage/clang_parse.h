// Runs Clang's front end on a program held in memory, the way the judge compiles it
// (<bits/stdc++.h> first, through a cached precompiled header), and hands the AST to a callback.
// Internal to coverage/: only clang_parse.cpp and instrument.cpp see Clang's headers.
#pragma once

#include <functional>
#include <string>

#include "coverage/instrument.h"
#include "util/expected.h"

namespace clang {
class ASTContext;
class Decl;
}  // namespace clang

namespace stepcoder::coverage {

// Called once after a parse without errors, with the top-level declarations of the main file
// in source order.
using AstCallback = std::function<void(clang::ASTContext&, const std::vector<clang::Decl*>&)>;

// Parses `program` (main file name "program.cpp"). Errors: "3:5: error: use of undeclared
// identifier 'x'" (first few, main-file positions), or why Clang could not run.
Status parse_program(const std::string& program, const InstrumentOptions& opts,
                     const AstCallback& on_ast);

// The cached precompiled <bits/stdc++.h> for these options, built on first use; "" when it
// cannot be built (parsing then includes the header directly, slower but correct).
std::string stdcpp_pch(const InstrumentOptions& opts);

}  // namespace stepcoder::coverage
