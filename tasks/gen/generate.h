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

// Shares of the held-out kinds in `test` (they sum to 100): see SUITE.md.
struct HoldoutShare {
  const char* kind;
  int percent;
};
const std::vector<HoldoutShare>& holdout_shares();

}  // namespace stepcoder::tasks
