// `stepcoder config`: the reference lists every key a resolved config has (both come from the
// schemas `stepcoder train` loads), --dump applies the file and --set, bad input names the
// file, docs/configuration.md carries the same reference between its markers, and every shipped config
// under configs/ loads.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "tests/app/run_cli.h"
#include "util/files.h"

namespace stepcoder {
namespace {

using testing::Outcome;
using testing::run_cli;

// Dotted leaf keys of the nested YAML --dump prints (two spaces per level).
std::set<std::string> leaf_keys(const std::string& yaml) {
  std::set<std::string> keys;
  std::vector<std::string> path;
  std::istringstream in(yaml);
  for (std::string line; std::getline(in, line);) {
    size_t indent = line.find_first_not_of(' '), colon = line.find(':');
    if (indent == std::string::npos || colon == std::string::npos) continue;
    path.resize(indent / 2);
    std::string name = line.substr(indent, colon - indent), prefix;
    for (const auto& p : path) prefix += p + ".";
    if (colon + 1 == line.size()) path.push_back(name);
    else keys.insert(prefix + name);
  }
  return keys;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \n"), e = s.find_last_not_of(" \n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

class ConfigVerbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("config-test");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<TempDir>(std::move(*d));
  }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(ConfigVerbTest, ReferenceListsEveryKeyOfTheResolvedConfig) {
  ASSERT_TRUE(write_file_atomic(dir_->file("a.yaml"), "model:\n  dim: 32\nppo:\n  clip: 0.1\n"));
  Outcome dump = run_cli("config --dump " + dir_->file("a.yaml") + " --set train.steps=7", false);
  ASSERT_EQ(dump.code, 0) << dump.output;
  EXPECT_NE(dump.output.find("  dim: 32\n"), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find("  clip: 0.1\n"), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find("  steps: 7\n"), std::string::npos) << dump.output;
  Outcome ref = run_cli("config --reference", false);
  ASSERT_EQ(ref.code, 0) << ref.output;
  std::set<std::string> keys = leaf_keys(dump.output);
  EXPECT_GT(keys.size(), 80u);
  for (const char* k : {"model.dim", "ppo.rewards.kl_coef", "curriculum.enabled", "train.steps", "sandbox.workers", "eval.n"})
    EXPECT_TRUE(keys.count(k)) << k;
  for (const std::string& k : keys) EXPECT_NE(ref.output.find("| `" + k + "` |"), std::string::npos) << k;
  size_t rows = 0;
  std::istringstream in(ref.output);
  for (std::string line; std::getline(in, line);) rows += line.rfind("| `", 0) == 0;
  EXPECT_EQ(rows, keys.size()) << "a key in the reference that a resolved config lacks";
  for (const char* section : {"model", "sampling", "sft", "eval", "sandbox", "ppo", "curriculum", "train"})
    EXPECT_NE(ref.output.find(std::string("### `") + section + "`"), std::string::npos) << section;
}

TEST_F(ConfigVerbTest, BadInputIsNamed) {
  EXPECT_EQ(run_cli("config").code, 2);
  Outcome missing = run_cli("config --dump " + dir_->file("nope.yaml"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("nope.yaml"), std::string::npos) << missing.output;
  ASSERT_TRUE(write_file_atomic(dir_->file("bad.yaml"), "train:\n  steps: 5\n  stepz: 3\n"));
  Outcome bad = run_cli("config --dump " + dir_->file("bad.yaml"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.output.find("bad.yaml:3"), std::string::npos) << bad.output;
}

TEST(ConfigReadmeTest, TheConfigurationPageHoldsTheGeneratedReference) {
  auto page = read_file(std::string(STEPCODER_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(page) << page.error();
  const std::string begin = "<!-- config-reference:begin -->", end = "<!-- config-reference:end -->";
  size_t b = page->find(begin), e = page->find(end);
  ASSERT_TRUE(b != std::string::npos && e != std::string::npos && e > b)
      << "docs/configuration.md lacks its " << begin << " ... " << end << " block";
  Outcome ref = run_cli("config --reference", false);
  ASSERT_EQ(ref.code, 0);
  EXPECT_EQ(trim(page->substr(b + begin.size(), e - b - begin.size())), trim(ref.output))
      << "docs/configuration.md's reference is out of date: paste `stepcoder config --reference` between the markers";
}

// A shipped config with a misspelt or out-of-range key would fail only when a user runs it.
TEST(ShippedConfigsTest, EveryConfigUnderConfigsLoads) {
  int checked = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(STEPCODER_SOURCE_DIR "/configs")) {
    if (e.path().extension() != ".yaml") continue;
    Outcome dump = run_cli("config --dump " + e.path().string());
    EXPECT_EQ(dump.code, 0) << e.path() << ": " << dump.output;
    ++checked;
  }
  EXPECT_GE(checked, 8);  // quickstart.yaml and the seven ablation arms
}

}  // namespace
}  // namespace stepcoder
