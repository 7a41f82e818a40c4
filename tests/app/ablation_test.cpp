// The ablation table from `stepcoder eval --json` objects (greedy pass@1, sampled pass@5,
// verdict mix, failed configs kept with their reason), and `stepcoder ablate` on bad input and
// on a finished ablation (every OUT/NAME/eval.json present: nothing is trained, the tables
// are written from them).
#include "report/ablation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/app/run_cli.h"
#include "util/files.h"

namespace stepcoder::report {
namespace {

using testing::Outcome;
using testing::run_cli;

Json eval_json(double greedy_pass1, double pass5) {
  return Json::parse(R"({"problems": 20, "seconds": 3.5, "split": "test", "results": [
    {"temperature": 0, "samples_per_problem": 1, "pass@1": )" + std::to_string(greedy_pass1) + R"(,
     "verdicts": {"passed": 5, "failed": 10, "compile_error": 4, "memory_limit": 1}},
    {"temperature": 0.4, "samples_per_problem": 10, "pass@1": 0.2, "pass@5": )" + std::to_string(pass5) + R"(,
     "verdicts": {"passed": 40, "failed": 160}},
    {"temperature": 0.8, "samples_per_problem": 10, "pass@1": 0.1, "pass@5": 0.9, "verdicts": {"passed": 20}}]})");
}

TEST(AblationTableTest, RowsComeFromEvalOutput) {
  AblationRow r = row_from_eval("fgo", eval_json(0.25, 0.5), 125);
  EXPECT_EQ(r.problems, 20);
  EXPECT_DOUBLE_EQ(r.pass1, 0.25);
  EXPECT_DOUBLE_EQ(r.pass5, 0.5);  // the first sampled temperature, not the best
  EXPECT_DOUBLE_EQ(r.pass5_temperature, 0.4);
  EXPECT_EQ(r.pass5_n, 10);
  EXPECT_DOUBLE_EQ(r.verdicts.at("passed"), 0.25);  // of the greedy samples
  EXPECT_DOUBLE_EQ(r.verdicts.at("failed"), 0.5);
  AblationRow only_sampled = row_from_eval("x", Json::parse(R"({"problems": 2, "results": [
      {"temperature": 0.8, "samples_per_problem": 4, "pass@1": 0.5, "verdicts": {"passed": 4, "failed": 4}}]})"), -1);
  EXPECT_LT(only_sampled.pass1, 0) << "no greedy result: pass@1 (greedy) unknown";
  EXPECT_LT(only_sampled.pass5, 0) << "n = 4 < 5: no pass@5";
}

TEST(AblationTableTest, MarkdownAndJsonHaveARowPerConfig) {
  std::vector<AblationRow> rows = {row_from_eval("fgo", eval_json(0.25, 0.5), 125),
                                   failed_row("no|fgo", "stepcoder train exited with status 1"),
                                   row_from_eval("sft-only", eval_json(0.1, 0.3), 4000)};
  std::string md = ablation_markdown(rows);
  EXPECT_EQ(md.rfind("| config | problems | pass@1 (greedy) | pass@5 (T, n) | passed | failed | compile_error | "
                     "runtime_error | timeout | memory_limit | train time | status |\n", 0), 0u) << md;
  EXPECT_NE(md.find("| fgo | 20 | 25.0% | 50.0% (0.4, 10) | 25.0% | 50.0% | 20.0% | 0.0% | 0.0% | 5.0% | 2m 05s | ok |"),
            std::string::npos) << md;
  EXPECT_NE(md.find("| no/fgo | — |"), std::string::npos) << md;
  EXPECT_NE(md.find("| failed: stepcoder train exited with status 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 1h 06m | ok |"), std::string::npos) << md;
  size_t lines = std::count(md.begin(), md.end(), '\n');
  EXPECT_EQ(lines, 2u + rows.size());
  Json j = ablation_json(rows);
  ASSERT_EQ(j["configs"].size(), 3u);
  EXPECT_EQ(j["configs"][0]["pass1_greedy"], 0.25);
  EXPECT_EQ(j["configs"][0]["pass5"]["temperature"], 0.4);
  EXPECT_EQ(j["configs"][0]["train_seconds"], 125);
  EXPECT_EQ(j["configs"][1]["ok"], false);
  EXPECT_EQ(j["configs"][1]["error"], "stepcoder train exited with status 1");
}

class AblateCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("ablate-test");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<TempDir>(std::move(*d));
    ASSERT_TRUE(make_dirs(dir_->file("configs")));
  }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(AblateCliTest, BadInputIsNamed) {
  Outcome missing = run_cli("ablate " + dir_->file("nope") + " -o " + dir_->file("out"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("nope: No such file or directory"), std::string::npos) << missing.output;
  Outcome empty = run_cli("ablate " + dir_->file("configs") + " -o " + dir_->file("out"));
  EXPECT_EQ(empty.code, 2);
  EXPECT_NE(empty.output.find("no *.yaml configs"), std::string::npos) << empty.output;
  ASSERT_TRUE(write_file_atomic(dir_->file("configs/a.yaml"), "train:\n  steps: 1\n"));
  Outcome only = run_cli("ablate " + dir_->file("configs") + " -o " + dir_->file("out") + " --only b");
  EXPECT_EQ(only.code, 2);
  EXPECT_NE(only.output.find("no config b.yaml"), std::string::npos) << only.output;
  EXPECT_NE(run_cli("ablate " + dir_->file("configs")).code, 0) << "-o is required";
  EXPECT_FALSE(file_exists(dir_->file("out/ablation.md")));
}

TEST_F(AblateCliTest, AFinishedAblationIsNotRunAgain) {
  for (const char* name : {"b-fgo", "a-sft"}) {
    ASSERT_TRUE(write_file_atomic(dir_->file(std::string("configs/") + name + ".yaml"), "train:\n  steps: 1\n"));
    ASSERT_TRUE(make_dirs(dir_->file(std::string("out/") + name)));
    ASSERT_TRUE(write_file_atomic(dir_->file(std::string("out/") + name + "/eval.json"), eval_json(0.3, 0.6).dump()));
    ASSERT_TRUE(write_file_atomic(dir_->file(std::string("out/") + name + "/ablate.json"), "{\"train_wall_s\": 61}"));
  }
  Outcome o = run_cli("ablate " + dir_->file("configs") + " -o " + dir_->file("out"));
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find("eval.json exists, not run again"), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("training into"), std::string::npos) << o.output;
  auto md = read_file(dir_->file("out/ablation.md"));
  ASSERT_TRUE(md) << md.error();
  size_t a = md->find("| a-sft |"), b = md->find("| b-fgo |");
  ASSERT_NE(a, std::string::npos) << *md;
  ASSERT_NE(b, std::string::npos) << *md;
  EXPECT_LT(a, b) << "rows in name order";
  EXPECT_NE(md->find("30.0% | 60.0% (0.4, 10)"), std::string::npos) << *md;
  EXPECT_NE(md->find("1m 01s"), std::string::npos) << *md;
  auto js = read_file(dir_->file("out/ablation.json"));
  ASSERT_TRUE(js);
  EXPECT_EQ(Json::parse(*js)["configs"].size(), 2u);
}

}  // namespace
}  // namespace stepcoder::report
