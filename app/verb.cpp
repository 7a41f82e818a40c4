// The verb table and the check of verb names (see verb.h).
#include "app/verb.h"

#include <algorithm>
#include <vector>

namespace stepcoder::app {

namespace {

// In the order of --help: the whole job first, then the stages of a run as a user meets them.
constexpr void (*kVerbs[])(CLI::App&) = {
    add_run_verb,      add_tasks_verb, add_judge_verb,  add_coverage_verb, add_tokenizer_verb,
    add_sft_verb,      add_train_verb, add_eval_verb,   add_generate_verb, add_score_verb,
    add_replay_verb,   add_report_verb, add_ablate_verb, add_config_verb,
};

int g_exit_code = 0;

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "unknown verb 'trian' (did you mean 'train'?)"; the suggestion only when it is close.
std::string describe_unknown(const CLI::App& at, const std::string& word) {
  std::string best;
  size_t best_d = word.size();
  for (const CLI::App* sub : at.get_subcommands([](const CLI::App*) { return true; })) {
    const size_t d = edit_distance(word, sub->get_name());
    if (d < best_d) best_d = d, best = sub->get_name();
  }
  const std::string path = at.get_parent() ? at.get_name() + " " : "";
  std::string msg = "unknown verb '" + path + word + "'";
  if (!best.empty() && best_d <= std::max<size_t>(2, word.size() / 3)) msg += " (did you mean '" + path + best + "'?)";
  return msg;
}

}  // namespace

void add_all_verbs(CLI::App& app) {
  for (auto add : kVerbs) add(app);
}

std::string unknown_verb(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* at = &app;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') continue;  // flags, and --help, do not end the walk
    if (at->get_subcommands([](const CLI::App*) { return true; }).empty()) return "";  // a leaf verb's arguments
    const CLI::App* sub = nullptr;
    for (const CLI::App* s : at->get_subcommands([](const CLI::App*) { return true; }))
      if (s->check_name(word)) sub = s;
    if (!sub) return describe_unknown(*at, word);
    at = sub;
  }
  return "";
}

void set_exit_code(int code) { g_exit_code = code; }
int exit_code() { return g_exit_code; }

}  // namespace stepcoder::app
