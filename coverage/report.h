// Coverage reports of one program: an LCOV tracefile (genhtml renders it), a JSON object
// (statements, functions, lines, per-test counts) and a standalone HTML page of the source
// with executed and unexecuted lines, hit counts, and the statements that never ran marked.
//
//   write_file_atomic("cov/CPP_0.info", to_lcov(inst, merged, "CPP_0.cpp", "CPP/0"));
#pragma once

#include <string>
#include <vector>

#include "coverage/coverage_map.h"
#include "coverage/instrument.h"
#include "util/jsonl.h"

namespace stepcoder::coverage {

// One record: TN, SF, FN/FNDA/FNF/FNH, DA, LF/LH, end_of_record. `source_path` is what SF
// names (genhtml reads the source from there).
std::string to_lcov(const Instrumented& inst, const CoverageMap& map,
                    const std::string& source_path, const std::string& test_name = "");

// {"summary":{...}, "functions":[...], "statements":[...], "lines":[[line,count],...],
//  "tests":[{"valid":true,"statements_hit":N,"counts":[per statement]}]}
Json to_json(const Instrumented& inst, const CoverageMap& merged,
             const std::vector<CoverageMap>& per_test = {});

// A self-contained page (inline CSS, no scripts).
std::string to_html(const Instrumented& inst, const CoverageMap& map, const std::string& title);

// A file name for a task's tracefile: "CPP/0" -> "CPP_0.info".
std::string tracefile_name(const std::string& task_id);

}  // namespace stepcoder::coverage
