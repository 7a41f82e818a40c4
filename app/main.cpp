// stepcoder: train code models with reinforcement learning from compiler and unit-test feedback.
// This file only builds the command line; every verb is a thin layer over a library.
#include <cstdio>

#include "app/verb.h"

int main(int argc, char** argv) {
  CLI::App app{
      "stepcoder: reinforcement learning of code models from compiler and unit-test feedback"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "stepcoder 0.1.0");
  stepcoder::app::add_all_verbs(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return stepcoder::app::exit_code();
}
