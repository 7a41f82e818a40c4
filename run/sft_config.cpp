// SFT and evaluation configuration: declarations and loading (see sft_config.h).
#include "run/sft_config.h"

#include <algorithm>
#include <set>

#include "util/files.h"

namespace stepcoder::run {

void describe(SftConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".train_file", &c.train_file, "training problems (project JSONL)");
  s.add(p + ".valid_file", &c.valid_file, "validation problems: the selection subset (select_problems) and the split `valid` of the reports");
  s.add(p + ".test_file", &c.test_file, "held-out problems for `stepcoder eval --split test`");
  s.add(p + ".run_dir", &c.run_dir, "run directory: config, tokenizer, checkpoints, metrics");
  s.add(p + ".steps", &c.steps, "optimizer steps").range(1, 1e9);
  s.add(p + ".batch_size", &c.batch_size, "sequences per step").range(1, 1e5);
  s.add(p + ".lr", &c.lr, "peak learning rate (AdamW)").range(0, 10);
  s.add(p + ".min_lr_ratio", &c.min_lr_ratio, "cosine decay floor as a share of lr").range(0, 1);
  s.add(p + ".warmup_steps", &c.warmup_steps, "linear warmup steps").range(0, 1e9);
  s.add(p + ".weight_decay", &c.weight_decay, "AdamW weight decay on matrices").range(0, 10);
  s.add(p + ".grad_clip", &c.grad_clip, "global gradient norm clip; 0 = off").range(0, 1e6);
  s.add(p + ".eval_every", &c.eval_every, "steps between validation loss + pass@1; 0 = end only").range(0, 1e9);
  s.add(p + ".select_problems", &c.select_problems,
        "validation problems set aside (spread evenly) to choose best.pt; reports of the split `valid` use the others; 0 = choose on the whole split")
      .range(0, 1e7);
  s.add(p + ".eval_problems", &c.eval_problems, "problems of the selection subset judged at each evaluation, spread evenly; 0 = all").range(0, 1e7);
  s.add(p + ".val_batches", &c.val_batches, "batches of validation loss").range(1, 1e6);
  s.add(p + ".log_every", &c.log_every, "steps between metrics.jsonl lines").range(1, 1e9);
  s.add(p + ".time_limit_s", &c.time_limit_s, "a guard: stop early, with a warning, after this many seconds; 0 = no limit (the run is bounded by steps)").range(0, 1e9);
  s.add(p + ".tokenizer_vocab", &c.tokenizer_vocab, "vocabulary of the tokenizer trained when model.tokenizer is empty").range(300, 1e6);
  s.add(p + ".tokenizer_split_underscore", &c.tokenizer_split_underscore, "split identifiers at '_' (keeps the vocabulary word-level)");
}

void describe(EvalConfig& c, ConfigSchema& s, const std::string& p) {
  s.add(p + ".split", &c.split, "problems to evaluate (select: sft.select_problems' subset of the validation file; valid: the rest)")
      .choices({"train", "select", "valid", "test"});
  s.add(p + ".n", &c.n, "samples per problem at temperatures above 0").range(1, 1e4);
  s.add(p + ".temperatures", &c.temperatures, "sampling temperatures; 0 = greedy (one sample)").range(0, 10);
  s.add(p + ".k", &c.k, "k values of pass@k (each at most n)").range(1, 1e4);
  s.add(p + ".problems", &c.problems, "problems evaluated, spread evenly over the split; 0 = all").range(0, 1e7);
}

ConfigSchema sft_run_schema(SftRunConfig& c) {
  ConfigSchema s;
  model::describe(c.model, s, "model");
  model::describe(c.sampling, s, "sampling");
  describe(c.sft, s, "sft");
  describe(c.eval, s, "eval");
  sandbox::describe(c.sandbox, s, "sandbox");
  return s;
}

Status load_run_config(const std::string& path, ConfigSchema& schema, const std::vector<std::string>& keep) {
  // Sections owned by other stages; blanking their lines keeps line numbers in errors right.
  static const std::set<std::string> kOtherStages = {"ppo", "rl", "curriculum", "coverage", "rewards",
                                                     "reward", "run", "tasks", "report", "critic", "train"};
  auto text = read_file(path);
  if (!text) return Error("reading config: " + text.error());
  std::string out;
  bool skipping = false;
  size_t pos = 0;
  while (pos < text->size()) {
    size_t end = text->find('\n', pos);
    if (end == std::string::npos) end = text->size();
    std::string line = text->substr(pos, end - pos);
    bool top_level = !line.empty() && line[0] != ' ' && line[0] != '\t' && line[0] != '#';
    if (top_level) {
      std::string key = line.substr(0, line.find(':'));
      skipping = kOtherStages.count(key) > 0 && std::find(keep.begin(), keep.end(), key) == keep.end();
    }
    out += (skipping ? "" : line) + "\n";
    pos = end + 1;
  }
  return schema.load_text(out, path);
}

}  // namespace stepcoder::run
