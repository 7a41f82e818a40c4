// Deliberately wrong variants of a reference solution, for checking that the judge fails
// solutions that compute the wrong answer: one textual mutation (a flipped comparison, boolean
// or constant) at the first place an operator applies.
#pragma once

#include <optional>
#include <string>

namespace stepcoder::testing_support {

struct Mutant {
  std::string text;
  std::string what;  // "'<' -> '<=' at byte 120"
};

// The first applicable mutation, trying operators in a fixed order; nullopt if none applies.
std::optional<Mutant> mutate(const std::string& solution);

}  // namespace stepcoder::testing_support
