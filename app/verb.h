// The verbs of the `stepcoder` CLI, in one table (verb.cpp, kVerbs) in the order --help lists
// them. Each verb lives in its own app/verb_*.cpp, whose add_*_verb() declares its subcommand,
// flags and callback; main() builds the app from the table and runs it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace stepcoder::app {

void add_run_verb(CLI::App& app);
void add_tasks_verb(CLI::App& app);
void add_judge_verb(CLI::App& app);
void add_coverage_verb(CLI::App& app);
void add_tokenizer_verb(CLI::App& app);
void add_sft_verb(CLI::App& app);
void add_train_verb(CLI::App& app);
void add_eval_verb(CLI::App& app);
void add_generate_verb(CLI::App& app);
void add_score_verb(CLI::App& app);
void add_replay_verb(CLI::App& app);
void add_report_verb(CLI::App& app);
void add_ablate_verb(CLI::App& app);
void add_config_verb(CLI::App& app);

void add_all_verbs(CLI::App& app);

// Checks the verbs named on the command line before CLI11 parses it: a word where a verb is
// expected that names none ("stepcoder frobnicate", "stepcoder nonsense --help", "stepcoder
// tokenizer frob") is an error naming it and the nearest verb, even beside --help. Returns ""
// when every verb is known.
std::string unknown_verb(const CLI::App& app, int argc, const char* const* argv);

// The exit code a verb callback asks for (0 when none did).
void set_exit_code(int code);
int exit_code();

}  // namespace stepcoder::app
