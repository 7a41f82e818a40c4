// `stepcoder config --reference`: the Markdown reference of every configuration key (type,
// default, range or choices, meaning), generated from the same schema declarations `stepcoder
// train` loads, so the copy in docs/configuration.md can be checked against the code. `stepcoder config --dump
// CONFIG [--set KEY=VALUE]...`: the resolved YAML, every key with the value a run would use.
#include <cstdio>
#include <map>
#include <sstream>

#include "app/common.h"
#include "app/verb.h"
#include "run/train_config.h"

namespace stepcoder::app {
namespace {

struct ConfigArgs {
  bool reference = false;
  std::string dump;
  std::vector<std::string> sets;
};

// What each top-level section is for, in the order `stepcoder train` reads them.
const std::vector<std::pair<std::string, std::string>>& sections() {
  static const std::vector<std::pair<std::string, std::string>> kSections = {
      {"model", "The transformer policy (with value head) and its tokenizer"},
      {"sampling", "How completions are sampled (training rollouts and evaluation)"},
      {"sft", "Supervised fine-tuning (`stepcoder sft`, or `train.run_sft_first`) and the problem files"},
      {"eval", "Pass@k evaluation (`stepcoder eval`)"},
      {"sandbox", "Compiling and running generated programs (limits, seccomp policy, workers, caches)"},
      {"ppo", "The PPO stage: batch shape, GAE, clipped losses, FGO mask and reward shaping"},
      {"curriculum", "CCCS: code-completion subtasks from canonical solutions, stage advance"},
      {"train", "The training run: run directory, starting checkpoint, steps, checkpoints, held-out evaluation"},
  };
  return kSections;
}

// The schema's one table split into a table per top-level section, each under a heading.
std::string reference_markdown() {
  run::TrainRunConfig cfg;
  ConfigSchema schema = run::train_run_schema(cfg);
  std::istringstream in(schema.reference_markdown());
  std::string header, rule, line;
  std::getline(in, header), std::getline(in, rule);
  std::map<std::string, std::string> rows;  // section -> table rows
  while (std::getline(in, line)) {
    size_t start = line.find('`') + 1;
    rows[line.substr(start, line.find_first_of(".`", start) - start)] += line + "\n";
  }
  std::string out;
  for (const auto& [name, about] : sections()) {
    if (!rows.count(name)) continue;
    out += "### `" + name + "`\n\n" + about + ".\n\n" + header + "\n" + rule + "\n" + rows[name] + "\n";
    rows.erase(name);
  }
  for (const auto& [name, table] : rows)  // a section added to the schema but not to the list above
    out += "### `" + name + "`\n\n" + header + "\n" + rule + "\n" + table + "\n";
  return out;
}

void config_verb(const ConfigArgs& a) {
  if (a.reference == !a.dump.empty()) return fail("give either --reference or --dump CONFIG");
  if (a.reference) {
    std::printf("%s", reference_markdown().c_str());
    return;
  }
  run::TrainRunConfig cfg;
  ConfigSchema schema = run::train_run_schema(cfg);
  if (Status st = run::load_train_config(a.dump, schema); !st) return fail(st.error());
  for (const std::string& s : a.sets)
    if (Status st = schema.set(s); !st) return fail(st.error());
  std::printf("%s", schema.dump_yaml().c_str());
}

}  // namespace

void add_config_verb(CLI::App& app) {
  auto a = std::make_shared<ConfigArgs>();
  CLI::App* cmd = app.add_subcommand("config", "Print the configuration reference, or a config resolved with defaults");
  cmd->add_flag("--reference", a->reference, "Markdown table of every key: type, default, range, meaning");
  cmd->add_option("--dump", a->dump, "print CONFIG resolved: every key with the value a run would use");
  cmd->add_option("--set", a->sets, "override a key before --dump prints, e.g. train.steps=50");
  cmd->callback([a] { config_verb(*a); });
}

}  // namespace stepcoder::app
