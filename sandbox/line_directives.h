// A program may not say where its own lines are. `#line N "tests.cpp"` (or GNU's `# N "file"`,
// spelled with `%:` or a trigraph, spliced over lines) would move the program's errors into the
// test code or the harness, where no error-line penalty lands. Every such directive is blanked
// before compiling, keeping the program's length, byte offsets and line count, so compiler
// messages name the real lines and token masks stay aligned.
//
//   std::string safe = neutralize_line_directives(program, standard_has_trigraphs(cfg.std));
#pragma once

#include <string>

namespace stepcoder::sandbox {

std::string neutralize_line_directives(const std::string& program, bool trigraphs);

// Whether -std=`std` translates trigraphs (the ISO modes before C++17; gnu++ modes do not).
bool standard_has_trigraphs(const std::string& std);

}  // namespace stepcoder::sandbox
