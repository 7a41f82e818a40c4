// Shared CLI helpers: see common.h.
#include "app/common.h"

#include <cstdio>

#include "app/verb.h"
#include "util/config.h"
#include "util/files.h"

namespace stepcoder::app {

Expected<sandbox::SandboxConfig> load_sandbox_config(const std::string& config_path,
                                                     const std::vector<std::string>& sets) {
  // The run config's one reader: a file that serves train also serves the judge's verbs.
  run::TrainRunConfig cfg;
  if (!config_path.empty()) {
    ConfigSchema schema = run::train_run_schema(cfg);
    if (Status st = run::load_train_config(config_path, schema); !st) return Error(st.error());
  }
  return sandbox_config_of(std::move(cfg), sets);
}

Expected<sandbox::SandboxConfig> sandbox_config_of(run::TrainRunConfig cfg, const std::vector<std::string>& sets) {
  ConfigSchema schema = run::train_run_schema(cfg);
  for (const auto& s : sets) {
    if (s.rfind("sandbox.", 0) != 0) return Error("--set " + s + ": only sandbox.* keys can be set here");
    if (Status st = schema.set(s); !st) return Error(st.error());
  }
  return cfg.sandbox;
}

Json diagnostics_json(const std::vector<sandbox::Diagnostic>& diags) {
  Json out = Json::array();
  for (const auto& d : diags) {
    Json j = {{"severity", d.severity}, {"message", d.message}};
    if (d.in_tests) j["in_tests"] = true;
    else j["line"] = d.line, j["column"] = d.column;
    out.push_back(j);
  }
  return out;
}

Json result_json(const sandbox::JudgeResult& r) {
  Json tests = Json::array();
  for (const auto& t : r.tests) {
    tests.push_back({{"verdict", sandbox::verdict_name(t.verdict)},
                     {"exit_code", t.exit_code},
                     {"signal", t.signal},
                     {"ms", t.ms},
                     {"max_rss_kb", t.max_rss_kb},
                     {"detail", t.detail}});
  }
  return {{"verdict", sandbox::verdict_name(r.verdict)},
          {"pass_ratio", r.pass_ratio},
          {"checks_passed", r.checks_passed},
          {"checks_total", r.checks_total},
          {"compile_ms", r.compile_ms},
          {"run_ms", r.run_ms},
          {"cache_hit", r.cache_hit},
          {"message", r.message},
          {"isolation", sandbox::isolation_name(r.isolation)},
          {"isolation_note", r.isolation_note},
          {"diagnostics", diagnostics_json(r.diagnostics)},
          {"tests", tests}};
}

std::string printable(const std::string& text, bool keep_lines) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c >= 0x20 && c != 0x7f) || (keep_lines && (c == '\n' || c == '\t'))) {
      out += static_cast<char>(c);
    } else {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02x", c);
      out += esc;
    }
  }
  return out;
}

void add_judge_options(CLI::App* cmd, std::string* config, std::vector<std::string>* sets,
                       bool* json) {
  cmd->add_option("--config", *config, "YAML config whose `sandbox` section sets limits");
  cmd->add_option("--set", *sets, "override a config key, e.g. sandbox.run.cpu_ms=500");
  cmd->add_flag("--json", *json, "print JSON (one object a line) instead of human output");
}

void fail(const std::string& message, int code) {
  std::fprintf(stderr, "stepcoder: %s\n", message.c_str());
  set_exit_code(code);
}

}  // namespace stepcoder::app

namespace stepcoder::app {

}  // namespace stepcoder::app
