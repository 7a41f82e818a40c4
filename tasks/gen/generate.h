// The generated C++ task suite: compositional families (a loop setting x an operation x a
// predicate) plus fixed families (number theory, sequences, sorting, strings, simulations),
// split into train / valid / test where test holds combinations never seen in train.
// Deterministic for a seed. The design is documented in tasks/gen/SUITE.md.
//
//   GenerateOptions opts;
//   opts.seed = 7;
//   Suite suite = generate_suite(opts);
//   Status st = write_suite("examples/suite", suite);   // train.jsonl valid.jsonl test.jsonl
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tasks/problem.h"
#include "util/expected.h"

namespace stepcoder::tasks {

struct GenerateOptions {
  uint64_t seed = 1;
  int per_family = 200;    // train + valid problems per compositional family, at most
  int test_size = 600;     // held-out problems, at most
  int valid_percent = 8;   // share of the in-distribution problems kept for validation
};

struct Suite {
  std::vector<Problem> train, valid, test;
};

Suite generate_suite(const GenerateOptions& opts);
// Writes DIR/train.jsonl, DIR/valid.jsonl and DIR/test.jsonl (creating DIR).
Status write_suite(const std::string& dir, const Suite& suite);

// The dispatch suite for FGO experiments (SUITE.md): functions that apply one of 4 described
// operations chosen by `op`. `sft` and the held-out `valid` and `test` test every operation;
// the PPO pool `train` tests one or two per problem, and `hidden` holds each other operation
// (and the guard for unknown ops) of every pool problem as a problem of its own, task id
// "dispatch/hidden_N/opK" or ".../guard", to measure what training did to the untested code.
struct DispatchOptions {
  uint64_t seed = 1;
  int sft = 1500, pool = 120, valid = 100, test = 300;
};
struct DispatchSuite {
  std::vector<Problem> sft, train, hidden, valid, test;
};
DispatchSuite generate_dispatch_suite(const DispatchOptions& opts);
// Writes DIR/{sft,train,hidden,valid,test}.jsonl.
Status write_dispatch_suite(const std::string& dir, const DispatchSuite& suite);

// The records suite for CCCS experiments (SUITE.md): stdin/stdout programs of 23-37 lines that
// parse records, derive a value, filter, group, aggregate and print. `sft` is for supervised
// training, `train` the small PPO pool (each problem revisited several times), `valid` and
// `test` new problems.
struct RecordsOptions {
  uint64_t seed = 1;
  int sft = 2000, pool = 120, valid = 100, test = 300;
};
struct RecordsSuite {
  std::vector<Problem> sft, train, valid, test;
};
RecordsSuite generate_records_suite(const RecordsOptions& opts);
// Writes DIR/{sft,train,valid,test}.jsonl.
Status write_records_suite(const std::string& dir, const RecordsSuite& suite);

// Shares of the held-out kinds in `test` (they sum to 100): see SUITE.md.
struct HoldoutShare {
  const char* kind;
  int percent;
};
const std::vector<HoldoutShare>& holdout_shares();

}  // namespace stepcoder::tasks
