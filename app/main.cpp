// stepcoder: train code models with reinforcement learning from compiler and unit-test feedback.
// This file only builds the command line; every verb is a thin layer over a library.
#include <cstdio>
#include <string>

#include "app/verb.h"

int main(int argc, char** argv) {
  CLI::App app{
      "stepcoder: reinforcement learning of code models from compiler and unit-test feedback"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "stepcoder 0.1.0");
  stepcoder::app::add_all_verbs(app);
  // An unknown verb is an error, also beside --help (which CLI11 would answer first).
  if (const std::string bad = stepcoder::app::unknown_verb(app, argc, argv); !bad.empty()) {
    std::fprintf(stderr, "stepcoder: %s\nRun 'stepcoder --help' for the verbs.\n", bad.c_str());
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version succeed; every usage error exits 2, as bad input does everywhere.
    return app.exit(e) == 0 ? 0 : 2;
  }
  return stepcoder::app::exit_code();
}
