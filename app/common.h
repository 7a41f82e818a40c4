// Helpers shared by CLI verbs: loading the sandbox section of a config, turning judge
// results into JSON, and reporting errors the same way everywhere.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "run/train_config.h"
#include "sandbox/judge.h"
#include "util/expected.h"
#include "util/jsonl.h"
#include "util/thread_pool.h"  // parallel_for, for the verbs

namespace stepcoder::app {

// The sandbox section of an optional run config (read whole, through the run config's schema:
// an error anywhere in it is an error) with `sandbox.KEY=VALUE` overrides on top.
Expected<sandbox::SandboxConfig> load_sandbox_config(const std::string& config_path,
                                                     const std::vector<std::string>& sets);
// The same for a config already read (a recorded run's): its sandbox section with the overrides.
Expected<sandbox::SandboxConfig> sandbox_config_of(run::TrainRunConfig cfg, const std::vector<std::string>& sets);

Json diagnostics_json(const std::vector<sandbox::Diagnostic>& diags);
Json result_json(const sandbox::JudgeResult& r);

// The options every judging verb shares: --config FILE, --set KEY=VALUE (repeatable), --json.
void add_judge_options(CLI::App* cmd, std::string* config, std::vector<std::string>* sets,
                       bool* json);

// Text from a judged program (exception messages, diagnostics, its output) made safe for a
// terminal: control characters become \xNN escapes (a program could otherwise print a fake
// verdict line or retitle the terminal). `keep_lines` keeps newlines and tabs (program output).
std::string printable(const std::string& text, bool keep_lines = false);

// Prints "stepcoder: <message>" on stderr and sets the exit code (2 = bad input or usage).
void fail(const std::string& message, int code = 2);

}  // namespace stepcoder::app
