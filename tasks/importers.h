// Converters from foreign benchmark records to the project's Problem: HumanEval-X C++,
// MBXP (MBCPP) and APPS-style records. Used by problem_io.cpp; exposed for tests and for
// tools that convert single records.
#pragma once

#include <string>

#include "tasks/problem.h"
#include "util/expected.h"
#include "util/jsonl.h"

namespace stepcoder::tasks {

// HumanEval-X: prompt (comment + includes + signature), canonical_solution (body and closing
// brace), test (its own main with asserts). The entry point is taken from the prompt.
Expected<Problem> from_humaneval_x(const Json& r, const std::string& origin);
// MBXP: like HumanEval-X plus entry_point; canonical_solution may be null (empty here); tests
// throw runtime_error on a failed case.
Expected<Problem> from_mbxp(const Json& r, const std::string& origin);
// APPS-style: question, solutions (list or JSON text of a list: whole programs), input_output
// (object or JSON text: {"inputs": [...], "outputs": [...]}). The prompt is the question as a
// C++ comment, so prompt + solution is a program.
Expected<Problem> from_apps(const Json& r, const std::string& origin);

// The name of the last function defined in `code` ("int f(int a) {" -> "f"), "" if none.
std::string find_entry_point(const std::string& code);
// Text inside a /* */ comment block, with any "*/" in it defused.
std::string comment_block(const std::string& text);

// Field access with errors that name the record: "x.jsonl:3: field 'prompt' must be a string".
Expected<std::string> string_field(const Json& r, const char* key, const std::string& origin);
// Like string_field, but a missing or null field gives "".
Expected<std::string> optional_string_field(const Json& r, const char* key,
                                            const std::string& origin);

}  // namespace stepcoder::tasks
