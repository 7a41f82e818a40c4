// Verb registration for the `stepcoder` CLI. Each verb lives in its own app/verb_*.cpp and
// registers itself with a file-scope STEPCODER_VERB; main() only builds the app and runs it.
// app/ sources are compiled straight into the executable (not a static library), so no
// registration object is dropped by the linker.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace stepcoder::app {

// Adds a subcommand to `app`; the verb's callback returns the process exit code via
// set_exit_code().
using VerbFactory = std::function<void(CLI::App& app)>;

struct VerbRegistrar {
  VerbRegistrar(int order, VerbFactory factory);
};

void add_all_verbs(CLI::App& app);
// The exit code a verb callback asks for (0 when none did).
void set_exit_code(int code);
int exit_code();

}  // namespace stepcoder::app

#define STEPCODER_VERB_CONCAT2(a, b) a##b
#define STEPCODER_VERB_CONCAT(a, b) STEPCODER_VERB_CONCAT2(a, b)
// STEPCODER_VERB(order, factory): `order` sorts the verbs in --help.
#define STEPCODER_VERB(order, factory) \
  static ::stepcoder::app::VerbRegistrar STEPCODER_VERB_CONCAT(verb_registrar_, __LINE__)(order, factory)
