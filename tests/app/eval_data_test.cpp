// `stepcoder eval --data` on HumanEval-X C++: a tiny random checkpoint whose context fits two of
// three problems' prompts. The third is not sampled but counted as a failure and reported;
// the two others are sampled and judged (a random model's completions do not compile).
// Skipped when the external data folder is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "model/checkpoint.h"
#include "tasks/problem_io.h"
#include "tests/app/run_cli.h"
#include "tests/model/test_corpus.h"
#include "util/files.h"

namespace stepcoder {
namespace {

using testing::Outcome;
using testing::run_cli;

const std::string kHumanEvalX = STEPCODER_SOURCE_DIR "/../shared/data/external/humaneval-x_cpp.jsonl.gz";

class EvalDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("eval-data-test");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<TempDir>(std::move(*d));
  }
  // Writes 3 raw HumanEval-X records (the 2 shortest prompts and the longest) and a tiny
  // checkpoint whose context is between them.
  void write_inputs() {
    model::TokenizerTrainOptions o;
    o.vocab_size = 600;
    auto tok = model::Tokenizer::train(model::testing::synthetic_texts(60), o);
    ASSERT_TRUE(tok) << tok.error();
    auto set = tasks::load_problems(kHumanEvalX);
    ASSERT_TRUE(set) << set.error();
    std::vector<std::pair<size_t, std::string>> by_length;  // (prompt tokens, task_id)
    for (const auto& p : set->problems) by_length.emplace_back(tok->encode_ids(p.prompt).size(), p.task_id);
    std::sort(by_length.begin(), by_length.end());
    const std::vector<std::pair<size_t, std::string>> chosen = {by_length[0], by_length[1], by_length.back()};
    ASSERT_LT(by_length[1].first + 40, by_length.back().first);
    auto text = read_maybe_gz(kHumanEvalX);
    ASSERT_TRUE(text) << text.error();
    std::string subset;
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);)
      for (const auto& c : chosen)
        if (line.find("\"task_id\": \"" + c.second + "\"") != std::string::npos) subset += line + "\n";
    ASSERT_TRUE(write_file_atomic(dir_->file("subset.jsonl"), subset));
    model::ModelConfig c;
    c.vocab_size = tok->vocab_size();
    c.dim = 32, c.layers = 2, c.heads = 4, c.threads = 1;
    c.context = static_cast<int>(by_length[1].first) + 20;  // fits the 2 shortest prompts only
    model::Transformer m(c);
    ASSERT_TRUE(model::save_checkpoint(dir_->file("tiny.pt"), m, *tok, nullptr, {}));
    ASSERT_TRUE(write_file_atomic(dir_->file("eval.yaml"),
                                  "model:\n  threads: 1\nsampling:\n  max_new_tokens: 8\nsandbox:\n  workers: 2\n"));
  }
  std::string eval_args() const {
    return "eval " + dir_->file("eval.yaml") + " --checkpoint " + dir_->file("tiny.pt") + " --data " +
           dir_->file("subset.jsonl") + " --format humaneval-x --temperatures 0";
  }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(EvalDataTest, LongPromptsCountAsFailuresAndAreReported) {
  if (!file_exists(kHumanEvalX)) GTEST_SKIP() << kHumanEvalX << " is absent (external data folder not mounted)";
  write_inputs();
  if (HasFatalFailure()) return;
  Outcome o = run_cli(eval_args() + " --json", false);
  ASSERT_EQ(o.code, 0) << o.output;
  Json j = Json::parse(o.output, nullptr, false);
  ASSERT_TRUE(j.is_object()) << o.output;
  EXPECT_EQ(j["problems"], 3);
  EXPECT_EQ(j["prompts_too_long"], 1);
  EXPECT_EQ(j["data"], dir_->file("subset.jsonl"));
  ASSERT_EQ(j["results"].size(), 1u);
  const Json& r = j["results"][0];
  EXPECT_EQ(r["pass@1"], 0.0);  // a random model passes nothing
  int judged = 0;
  for (auto it = r["verdicts"].begin(); it != r["verdicts"].end(); ++it)
    if (it.key() != "prompt_too_long") judged += it->get<int>();
  EXPECT_EQ(judged, 2) << r.dump();
  EXPECT_EQ(r["verdicts"]["prompt_too_long"], 1);
  Outcome human = run_cli(eval_args());
  EXPECT_EQ(human.code, 0) << human.output;
  EXPECT_NE(human.output.find("3 problems"), std::string::npos) << human.output;
  EXPECT_NE(human.output.find("1 prompts longer than the context (counted as failures)"), std::string::npos)
      << human.output;
}

TEST_F(EvalDataTest, BadDataIsNamed) {
  ASSERT_TRUE(write_file_atomic(dir_->file("eval.yaml"), "model:\n  threads: 1\n"));
  Outcome missing = run_cli("eval " + dir_->file("eval.yaml") + " --data " + dir_->file("nope.jsonl"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("nope.jsonl"), std::string::npos) << missing.output;
  ASSERT_TRUE(write_file_atomic(dir_->file("bad.jsonl"), "{\"task_id\": \"CPP/0\", \"prompt\": 3}\n"));
  Outcome bad = run_cli("eval " + dir_->file("eval.yaml") + " --data " + dir_->file("bad.jsonl") + " --format humaneval-x");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.output.find("bad.jsonl:1"), std::string::npos) << bad.output;
  EXPECT_NE(run_cli("eval " + dir_->file("eval.yaml") + " --data x.jsonl --split test").code, 0);
}

}  // namespace
}  // namespace stepcoder
