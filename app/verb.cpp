// Verb registry: see verb.h.
#include "app/verb.h"

#include <algorithm>
#include <vector>

namespace stepcoder::app {

namespace {
std::vector<std::pair<int, VerbFactory>>& registry() {
  static std::vector<std::pair<int, VerbFactory>> verbs;
  return verbs;
}
int g_exit_code = 0;
}  // namespace

VerbRegistrar::VerbRegistrar(int order, VerbFactory factory) {
  registry().emplace_back(order, std::move(factory));
}

void add_all_verbs(CLI::App& app) {
  auto& verbs = registry();
  std::stable_sort(verbs.begin(), verbs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& v : verbs) v.second(app);
}

void set_exit_code(int code) { g_exit_code = code; }
int exit_code() { return g_exit_code; }

}  // namespace stepcoder::app
