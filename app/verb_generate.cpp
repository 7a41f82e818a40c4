// `stepcoder generate CHECKPOINT --problem FILE --task ID [-n K]`: prints sampled completions
// of a task's prompt (or of --prompt TEXT) from a checkpoint or a Hugging Face model directory.
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "model/inference.h"
#include "tasks/problem_io.h"

namespace stepcoder::app {
namespace {

struct GenerateArgs {
  std::string checkpoint, problem_file, task, prompt, device = "cpu";
  int n = 1, threads = 2;
  model::SamplingConfig sampling;
  model::PromptFormat format;
  bool json = false;
};

Expected<std::string> prompt_of(const GenerateArgs& a) {
  if (!a.prompt.empty()) return a.prompt;
  if (a.problem_file.empty() || a.task.empty()) return Error("give --problem FILE --task ID, or --prompt TEXT");
  auto set = tasks::load_problems(a.problem_file);
  if (!set) return Error(set.error());
  for (const auto& p : set->problems)
    if (p.task_id == a.task) return p.prompt;
  return Error(a.problem_file + ": no task '" + a.task + "'");
}

void generate_verb(const GenerateArgs& a) {
  auto prompt = prompt_of(a);
  if (!prompt) return fail(prompt.error());
  auto m = model::InferenceModel::load(a.checkpoint, a.device, a.threads, a.format);
  if (!m) return fail(m.error());
  auto out = (*m)->generate(std::vector<std::string>(a.n, *prompt), a.sampling);
  if (!out) return fail(out.error());
  for (size_t i = 0; i < out->size(); ++i) {
    const model::Sample& s = (*out)[i];
    if (a.json) {
      Json j = {{"sample", i}, {"completion", s.text}, {"finish_reason", s.finish_reason},
                {"tokens", s.tokens}, {"logprob", s.logprob}};
      std::printf("%s\n", j.dump().c_str());
    } else {
      std::printf("=== sample %zu (%d tokens, %s, logprob %.2f)\n%s%s\n", i, s.tokens, s.finish_reason.c_str(),
                  s.logprob, i == 0 ? prompt->c_str() : "", s.text.c_str());
    }
  }
}

}  // namespace

void add_generate_verb(CLI::App& app) {
  auto a = std::make_shared<GenerateArgs>();
  a->sampling.temperature = 0.8;
  CLI::App* cmd = app.add_subcommand("generate", "Print sampled completions of a task's prompt");
  cmd->add_option("checkpoint", a->checkpoint, "checkpoint (.pt) or Hugging Face model directory")->required();
  cmd->add_option("--problem", a->problem_file, "problem file holding the task");
  cmd->add_option("--task", a->task, "task_id in --problem");
  cmd->add_option("--prompt", a->prompt, "prompt text instead of a task");
  cmd->add_option("-n", a->n, "number of samples")->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("-t,--temperature", a->sampling.temperature, "0 = greedy")->capture_default_str();
  cmd->add_option("--top-k", a->sampling.top_k, "keep the k most likely tokens (0 = off)")->capture_default_str();
  cmd->add_option("--top-p", a->sampling.top_p, "nucleus mass (1 = off)")->capture_default_str();
  cmd->add_option("--max-new", a->sampling.max_new_tokens, "longest completion in tokens")->capture_default_str();
  cmd->add_option("--stop", a->sampling.stop, "stop sequence (repeatable)");
  cmd->add_option("--seed", a->sampling.seed, "sampling seed")->capture_default_str();
  cmd->add_option("--prompt-format", a->format.kind,
                  "of a Hugging Face directory: plain, or chat (through its chat template; a checkpoint keeps its own)")
      ->capture_default_str()->check(CLI::IsMember({"plain", "chat"}));
  cmd->add_option("--system", a->format.system_prompt, "with --prompt-format chat: a system message");
  cmd->add_option("--device", a->device, "cpu or cuda")->capture_default_str();
  cmd->add_option("--threads", a->threads, "CPU threads")->capture_default_str();
  cmd->add_flag("--json", a->json, "one JSON object per sample");
  cmd->callback([a] { generate_verb(*a); });
}

}  // namespace stepcoder::app
