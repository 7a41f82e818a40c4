// Reading and writing problem files: the project's JSONL (see problem.h) and importers for
// HumanEval-X C++, MBXP (MBCPP) and APPS-style records, plain or gzipped. The format is
// detected from the first record unless named.
//
//   auto set = load_problems("mbxp_mbcpp_release_v1.2.jsonl");       // format "auto"
//   if (!set) die(set.error());          // "x.jsonl:17: field 'prompt' must be a string"
//   printf("%zu problems, %d without a reference\n", set->problems.size(),
//          set->skipped_no_solution);
//   Status st = write_problems("out.jsonl", set->problems);
#pragma once

#include <string>
#include <vector>

#include "tasks/problem.h"
#include "util/expected.h"
#include "util/jsonl.h"

namespace stepcoder::tasks {

// Format names accepted by LoadOptions::format and reported by ProblemSet::format.
constexpr const char* kFormatAuto = "auto";
constexpr const char* kFormatProject = "project";
constexpr const char* kFormatHumanEvalX = "humaneval-x";
constexpr const char* kFormatMbxp = "mbxp";
constexpr const char* kFormatApps = "apps";

struct LoadOptions {
  std::string format = kFormatAuto;  // "auto", "project", "humaneval-x", "mbxp", "apps"
  bool skip_bad = false;             // skip malformed records (counted, warned) instead of failing
  bool keep_without_solution = false;  // keep problems whose reference solution is missing
};

struct ProblemSet {
  std::vector<Problem> problems;
  std::string format;             // the format read (detected or given)
  int skipped_no_solution = 0;    // records without a reference solution (e.g. MBXP nulls)
  int skipped_bad = 0;            // malformed lines or records skipped under skip_bad
  std::vector<std::string> warnings;  // "file:line: why", one per skipped record
};

// Reads every problem in `path` (.jsonl or .jsonl.gz). Errors name the file and line.
Expected<ProblemSet> load_problems(const std::string& path, const LoadOptions& opts = {});

// The format a record looks like ("project", "humaneval-x", "mbxp", "apps"), or "" if none.
std::string detect_format(const Json& record);
bool is_known_format(const std::string& name);

// One record of a given format (not "auto") to a Problem. `origin` is "file:line", used in
// errors. A record without a reference solution converts with an empty canonical_solution.
Expected<Problem> problem_from_record(const Json& record, const std::string& format,
                                      const std::string& origin);

// The project format, both ways. Empty optional fields are left out when writing.
Json problem_to_json(const Problem& p);
Expected<Problem> problem_from_json(const Json& j, const std::string& origin);
std::string problems_to_jsonl(const std::vector<Problem>& problems);
// Writes atomically (temporary name, fsync, rename). Gzip output is not supported.
Status write_problems(const std::string& path, const std::vector<Problem>& problems);

}  // namespace stepcoder::tasks
