// Automatic unit-test generation from reference solutions (after Gorinski et al. 2023): mine
// the entry point's signature, draw inputs per type, run the reference once per task in the
// sandbox to get expected outputs (an input whose run crashes or times out is dropped), write
// assert-style checks in front of the original tests, and keep them only if the reference
// passes them in the judge. References that look hard-coded are reported and get no tests.
//
//   TestGenOptions opts;  opts.per_task = 10;  opts.seed = 1;
//   auto report = generate_tests(problems, judge, opts);
//   if (!report) die(report.error());
//   write_problems("out.jsonl", report->problems);
//   puts(testgen_summary(*report).dump().c_str());
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sandbox/judge.h"
#include "tasks/problem.h"
#include "util/expected.h"
#include "util/jsonl.h"

namespace stepcoder::tasks {

struct TestGenOptions {
  int per_task = 10;      // inputs drawn per task (duplicates removed)
  uint64_t seed = 1;      // with the task id, decides every input
  int workers = 0;        // judging threads; <= 0: one per core
  int max_runs = 4;       // printer runs per task: each crash or timeout drops one input
  size_t original_calls = 10;  // calls of the visible tests also run, for hard-coding checks
};

enum class GenStatus {
  Generated,      // tests written and passed by the reference
  NoReference,    // no canonical solution or entry point
  Unsupported,    // a parameter or return type without an input generator
  PrinterFailed,  // the reference could not be run on the inputs (e.g. does not compile)
  NoValidInputs,  // every input crashed or timed out
  HardCoded,      // outputs constant on new inputs, varied on the visible tests
  VerifyFailed,   // the reference does not pass the generated (or its own) tests
};
const char* gen_status_name(GenStatus s);

struct TaskGen {
  std::string task_id;
  GenStatus status = GenStatus::NoReference;
  std::string detail;  // why, for every status but Generated
  int inputs = 0;      // distinct inputs drawn
  int kept = 0;        // inputs with a reference output
  int runs = 0;        // printer runs
};

struct TestGenReport {
  std::vector<Problem> problems;  // every input problem; generated checks merged where Generated
  std::vector<TaskGen> tasks;     // one per problem, same order
  int judge_calls = 0;
  double seconds = 0;
  std::vector<std::string> ids(GenStatus s) const;
};

using GenProgress = std::function<void(const std::string& phase, size_t done, size_t total)>;

// Errors only when signatures cannot be mined at all; per-task trouble is in the report.
Expected<TestGenReport> generate_tests(std::vector<Problem> problems, sandbox::Judge& judge,
                                       const TestGenOptions& opts, const GenProgress& progress = {});

// Counts per status, ids of hard-coded, unsupported and failing tasks, inputs drawn and kept.
Json testgen_summary(const TestGenReport& report);

}  // namespace stepcoder::tasks
