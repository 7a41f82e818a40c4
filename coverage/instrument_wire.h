// The contained instrumenter's output (instrument_main.cpp -> judge_coverage.cpp): an
// Instrumented as one JSON object. The parent checks every span against the program it sent,
// so even a subverted instrumenter can only produce wrong coverage, never a crash.
#pragma once

#include <string>

#include "coverage/instrument.h"
#include "util/expected.h"

namespace stepcoder::coverage {

std::string encode_instrumented(const Instrumented& inst);
std::string encode_instrument_error(const std::string& error);
// Errors: "program does not parse: ..." as the instrumenter said it, or what is malformed.
Expected<Instrumented> decode_instrumented(const std::string& json, const std::string& program);

}  // namespace stepcoder::coverage
