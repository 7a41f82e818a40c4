// The ablation table from `stepcoder eval --json` objects (greedy pass@1, sampled pass@5,
// verdict mix, failed configs kept with their reason), the arms' means and paired differences
// over seeds, and `stepcoder ablate` on bad input and on finished ablations (every eval.json
// present: nothing is trained, the tables are written from them), with one seed and with
// --seeds and --aa.
#include "report/ablation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/app/run_cli.h"
#include "util/files.h"
#include "util/hash.h"

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

// An evaluation of `correct` (0/1 per problem, greedy) over problems p0, p1, ...
Json eval_of(const std::vector<int>& correct) {
  Json ids = Json::array();
  int passed = 0;
  for (size_t i = 0; i < correct.size(); ++i) ids.push_back("p" + std::to_string(i)), passed += correct[i];
  return {{"problems", correct.size()}, {"task_ids", ids},
          {"results", {{{"temperature", 0}, {"samples_per_problem", 1},
                        {"pass@1", static_cast<double>(passed) / correct.size()}, {"correct", correct},
                        {"verdicts", {{"passed", passed}, {"failed", correct.size() - passed}}}}}}};
}

TEST(AblationTableTest, ArmsAreSummedOverSeedsAndPairedWithTheBaseline) {
  std::vector<AblationRow> rows = {
      row_from_eval("base", eval_of({1, 0, 0, 1}), 10, 1), row_from_eval("base", eval_of({1, 0, 1, 0}), 10, 2),
      row_from_eval("fgo", eval_of({1, 1, 0, 1}), 10, 1), row_from_eval("fgo", eval_of({1, 1, 1, 0}), 10, 2),
      row_from_eval("short", eval_of({1, 1}), 10, 1), failed_row("broken", "train exited with status 1", 1)};
  ASSERT_EQ(rows[0].greedy, (std::vector<double>{1, 0, 0, 1}));
  EXPECT_EQ(rows[0].task_ids[3], "p3");
  auto arms = summarize_arms(rows, "base");
  ASSERT_TRUE(arms) << arms.error();
  ASSERT_EQ(arms->size(), 4u);
  const ArmSummary &base = (*arms)[0], &fgo = (*arms)[1], &shorter = (*arms)[2], &broken = (*arms)[3];
  EXPECT_TRUE(base.baseline);
  EXPECT_DOUBLE_EQ(base.pass1.mean, 0.5);
  EXPECT_EQ(base.pass1.seeds, 2);
  EXPECT_DOUBLE_EQ(fgo.pass1.mean, 0.75);
  ASSERT_TRUE(fgo.has_difference);
  EXPECT_DOUBLE_EQ(fgo.difference.mean, 0.25);
  EXPECT_GE(fgo.difference.low, 0.0);  // problem 1 is the only difference, always +1
  EXPECT_FALSE(shorter.has_difference);
  EXPECT_NE(shorter.note.find("other problems"), std::string::npos) << shorter.note;
  EXPECT_EQ(broken.failed, 1);
  EXPECT_NE(broken.note.find("no run finished"), std::string::npos) << broken.note;
  std::string md = ablation_markdown(rows, *arms);
  EXPECT_EQ(md.rfind("| arm | runs | problems | greedy pass@1, mean [95% CI] | minus base, points [95% CI] | note |", 0), 0u) << md;
  EXPECT_NE(md.find("| fgo | 2 | 4 | 75.0% ["), std::string::npos) << md;
  EXPECT_NE(md.find("| base | 2 | 4 | 50.0% ["), std::string::npos) << md;
  EXPECT_NE(md.find("| baseline |"), std::string::npos) << md;
  EXPECT_NE(md.find("| +25.0 ["), std::string::npos) << md;
  EXPECT_NE(md.find("| config | seed | problems |"), std::string::npos) << md;
  Json j = ablation_json(rows, *arms);
  EXPECT_EQ(j["arms"][1]["difference"]["mean"], 0.25);
  EXPECT_EQ(j["configs"][1]["seed"], 2);
  auto unknown = summarize_arms(rows, "nope");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().find("arms: base, fgo, short, broken"), std::string::npos) << unknown.error();
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

TEST_F(AblateCliTest, AMalformedEvalJsonFailsItsRunOnly) {
  for (const char* name : {"a", "b"}) {
    ASSERT_TRUE(write_file_atomic(dir_->file(std::string("configs/") + name + ".yaml"), "train:\n  steps: 1\n"));
    ASSERT_TRUE(make_dirs(dir_->file(std::string("out/") + name)));
  }
  ASSERT_TRUE(write_file_atomic(dir_->file("out/a/eval.json"), eval_of({1, 0}).dump()));
  ASSERT_TRUE(write_file_atomic(dir_->file("out/b/eval.json"), R"({"problems": 2, "task_ids": 5, "results": []})"));
  Outcome o = run_cli("ablate " + dir_->file("configs") + " -o " + dir_->file("out"));
  EXPECT_EQ(o.code, 1) << o.output;
  EXPECT_NE(o.output.find("b/eval.json"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("1 of 2 runs failed"), std::string::npos) << o.output;
  auto md = read_file(dir_->file("out/ablation.md"));
  ASSERT_TRUE(md);
  EXPECT_NE(md->find("| a | 2 | 50.0% |"), std::string::npos) << *md;
}

TEST_F(AblateCliTest, SeedsAndTheAaArmResumeRunByRun) {
  // a-base at seeds 1, 2 and its A/A arm at 1001, 1002, b-fgo at 1, 2: every run finished.
  const std::vector<std::pair<std::string, std::vector<int>>> runs = {
      {"a-base/seed-1", {1, 0, 0, 1}},    {"a-base/seed-2", {1, 0, 1, 0}},
      {"a-base-aa/seed-1001", {1, 0, 1, 1}}, {"a-base-aa/seed-1002", {0, 0, 1, 0}},
      {"b-fgo/seed-1", {1, 1, 0, 1}},     {"b-fgo/seed-2", {1, 1, 1, 0}}};
  for (const char* name : {"a-base", "b-fgo"})
    ASSERT_TRUE(write_file_atomic(dir_->file(std::string("configs/") + name + ".yaml"), "train:\n  steps: 1\n"));
  for (const auto& [dir, correct] : runs) {
    ASSERT_TRUE(make_dirs(dir_->file("out/" + dir)));
    ASSERT_TRUE(write_file_atomic(dir_->file("out/" + dir + "/eval.json"), eval_of(correct).dump()));
  }
  Outcome aa_alone = run_cli("ablate " + dir_->file("configs") + " -o " + dir_->file("out") + " --aa");
  EXPECT_EQ(aa_alone.code, 2);
  EXPECT_NE(aa_alone.output.find("--aa needs --seeds"), std::string::npos) << aa_alone.output;
  Outcome bad_base = run_cli("ablate " + dir_->file("configs") + " -o " + dir_->file("out") + " --seeds 2 --baseline c");
  EXPECT_EQ(bad_base.code, 2);
  EXPECT_NE(bad_base.output.find("has no c.yaml"), std::string::npos) << bad_base.output;

  Outcome o = run_cli("ablate " + dir_->file("configs") + " -o " + dir_->file("out") + " --seeds 2 --aa");
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_EQ(o.output.find("training into"), std::string::npos) << o.output;
  auto js = read_file(dir_->file("out/ablation.json"));
  ASSERT_TRUE(js);
  Json j = Json::parse(*js);
  ASSERT_EQ(j["configs"].size(), 6u);
  ASSERT_EQ(j["arms"].size(), 3u);
  EXPECT_EQ(j["arms"][0]["name"], "a-base");
  EXPECT_EQ(j["arms"][0]["baseline"], true);
  EXPECT_EQ(j["arms"][1]["name"], "a-base-aa");  // right after its baseline
  EXPECT_EQ(j["arms"][1]["difference"]["mean"], 0.0);
  EXPECT_EQ(j["arms"][2]["difference"]["mean"], 0.25);
  EXPECT_EQ(j["configs"][2]["seed"], 1001);
  auto page = read_file(dir_->file("out/ablation.html"));
  ASSERT_TRUE(page);
  EXPECT_NE(page->find("<svg"), std::string::npos);
  EXPECT_NE(page->find("b-fgo: 75.0 ["), std::string::npos) << "a dot per arm, with its interval";
  EXPECT_NE(page->find("minus a-base"), std::string::npos);
}

// Finished runs record the hash of the checkpoint they started from; once that file changes,
// the ablation refuses to add runs that would not be paired with them.
TEST_F(AblateCliTest, AChangedStartCheckpointIsRefused) {
  const std::string ckpt = dir_->file("start.pt");
  ASSERT_TRUE(write_file_atomic(ckpt, "weights of the SFT run"));
  auto hash = file_hash_hex(ckpt);
  ASSERT_TRUE(hash) << hash.error();
  ASSERT_TRUE(write_file_atomic(dir_->file("configs/a.yaml"), "train:\n  steps: 1\n  init: " + ckpt + "\n"));
  ASSERT_TRUE(make_dirs(dir_->file("out/a")));
  ASSERT_TRUE(write_file_atomic(dir_->file("out/a/eval.json"), eval_of({1, 0}).dump()));
  Json record = {{"train_wall_s", 61}, {"start", ckpt}, {"start_xxh3", *hash}};
  ASSERT_TRUE(write_file_atomic(dir_->file("out/a/ablate.json"), record.dump()));
  Outcome same = run_cli("ablate " + dir_->file("configs") + " -o " + dir_->file("out"));
  EXPECT_EQ(same.code, 0) << same.output;

  ASSERT_TRUE(write_file_atomic(ckpt, "weights of another SFT run"));
  Outcome changed = run_cli("ablate " + dir_->file("configs") + " -o " + dir_->file("out"));
  EXPECT_EQ(changed.code, 2) << changed.output;
  EXPECT_NE(changed.output.find(dir_->file("out/a") + " started from " + ckpt), std::string::npos) << changed.output;
  EXPECT_NE(changed.output.find("would not be paired"), std::string::npos) << changed.output;
  EXPECT_EQ(changed.output.find("training into"), std::string::npos) << changed.output;
}

}  // namespace
}  // namespace stepcoder::report
