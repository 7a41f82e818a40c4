// Where a problem's function is declared in its prompt, found in the text alone (no parse): for
// the judge's assert harness, which calls the function by name, and for test generation.
//
//   declaration_of(prompt, "minCost");          // "int minCost(vector<vector<int>> cost, int m)"
//   sandbox::EntryPoint e = entry_point_of(prompt, "minCost");   // name, declaration, context
#pragma once

#include <string>

#include "sandbox/judge.h"

namespace stepcoder::tasks {

// The declaration of `entry_point` in program text ("int f(vector<int> a)"), or "": the last
// occurrence of the name followed by '(' (prompts show calls in comments before it), from its
// line's start to the matching ')'.
std::string declaration_of(const std::string& code, const std::string& entry_point);

// The same split three ways for the judge: the name, its declaration, and the text before that
// declaration's line (includes, helpers). Empty when the prompt does not declare it.
sandbox::EntryPoint entry_point_of(const std::string& prompt, const std::string& entry_point);

}  // namespace stepcoder::tasks
