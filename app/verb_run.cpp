// `stepcoder run PROGRAM.cpp [--stdin FILE] [--json]`: compile and run one program in the
// sandbox. Exit status: 0 when it ran and exited 0, 1 for any other verdict, 2 for bad input.
#include <unistd.h>

#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "util/files.h"

namespace stepcoder::app {
namespace {

struct RunArgs {
  std::string program, stdin_file, config;
  std::vector<std::string> sets;
  bool json = false;
};

void run_verb(const RunArgs& a) {
  auto source = read_file(a.program);
  if (!source) return fail(source.error());
  size_t bad = 0;
  if (!valid_utf8(*source, &bad))
    return fail(a.program + ": " +
                (bad < source->size() && (*source)[bad] == '\0' ? "NUL byte" : "invalid UTF-8") +
                " at byte " + std::to_string(bad) + "; programs must be UTF-8 text");
  sandbox::IoCase io;
  if (!a.stdin_file.empty()) {
    auto in = read_file(a.stdin_file);
    if (!in) return fail(in.error());
    io.input = *in;
  }
  auto cfg = load_sandbox_config(a.config, a.sets);
  if (!cfg) return fail(cfg.error());
  auto judge = sandbox::SandboxJudge::create(*cfg);
  if (!judge) return fail("starting the judge: " + judge.error(), 1);
  sandbox::JudgeRequest req;
  req.program = *source;
  req.tests.cases.push_back(io);
  sandbox::JudgeResult r = (*judge)->judge(req);
  const sandbox::TestResult* t = r.tests.empty() ? nullptr : &r.tests[0];
  if (a.json) {
    Json j = {{"verdict", sandbox::verdict_name(r.verdict)},
              {"exit_code", t ? t->exit_code : -1},
              {"signal", t ? t->signal : 0},
              {"stdout", t ? t->stdout_text : ""},
              {"stderr", t ? t->stderr_text : ""},
              {"compile_ms", r.compile_ms},
              {"run_ms", r.run_ms},
              {"max_rss_kb", t ? t->max_rss_kb : 0},
              {"cache_hit", r.cache_hit},
              {"message", r.message},
              {"diagnostics", diagnostics_json(r.diagnostics)}};
    std::printf("%s\n", j.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
  } else {
    // The program's own output, as it wrote it, unless a terminal would interpret it.
    auto show = [](const std::string& text, FILE* f) {
      std::string shown = ::isatty(::fileno(f)) ? printable(text, /*keep_lines=*/true) : text;
      std::fwrite(shown.data(), 1, shown.size(), f);
    };
    if (t) show(t->stdout_text, stdout);
    std::fflush(stdout);  // the program's output before our verdict line on stderr
    if (t) show(t->stderr_text, stderr);
    for (const auto& d : r.diagnostics)
      std::fprintf(stderr, "%s:%d:%d: %s: %s\n", a.program.c_str(), d.line, d.column,
                   d.severity.c_str(), printable(d.message).c_str());
    std::fprintf(stderr, "verdict: %s%s%s (compile %.0f ms%s, run %.1f ms)\n",
                 sandbox::verdict_name(r.verdict), r.message.empty() ? "" : " - ",
                 printable(r.message).c_str(), r.compile_ms, r.cache_hit ? " cached" : "", r.run_ms);
  }
  set_exit_code(r.verdict == sandbox::Verdict::Passed ? 0 : 1);
}

}  // namespace

void add_run_verb(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Compile and run one program in the sandbox");
  cmd->add_option("program", a->program, "C++ source file")->required();
  cmd->add_option("--stdin", a->stdin_file, "file fed to the program's standard input");
  add_judge_options(cmd, &a->config, &a->sets, &a->json);
  cmd->callback([a] { run_verb(*a); });
}

}  // namespace stepcoder::app
