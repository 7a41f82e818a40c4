// `stepcoder report RUN_DIR [-o FILE]`: the HTML report of a training run (report/run_report.h),
// one self-contained file, by default RUN_DIR/report.html. Exit status 2 when the run
// directory or a metrics line cannot be read.
#include <cstdio>

#include "app/common.h"
#include "app/verb.h"
#include "report/run_report.h"

namespace stepcoder::app {
namespace {

struct ReportArgs {
  std::string run_dir, out;
  int last_step = 12, per_verdict = 3;
};

void report_verb(const ReportArgs& a) {
  report::GalleryOptions g;
  g.last_step = a.last_step, g.per_verdict = a.per_verdict;
  auto path = report::write_report(a.run_dir, a.out, g);
  if (!path) return fail(path.error());
  std::printf("wrote %s\n", path->c_str());
}

}  // namespace

void add_report_verb(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand("report", "Write the HTML report of a training run (RUN_DIR/report.html)");
  cmd->add_option("run_dir", a->run_dir, "run directory (config.yaml, metrics.jsonl, episodes.sqlite)")->required();
  cmd->add_option("-o,--output", a->out, "output file (default: RUN_DIR/report.html)");
  cmd->add_option("--last-step", a->last_step, "episodes of the last step shown")->check(CLI::Range(0, 1000));
  cmd->add_option("--per-verdict", a->per_verdict, "recent episodes shown per verdict")->check(CLI::Range(0, 1000));
  cmd->callback([a] { report_verb(*a); });
}

}  // namespace stepcoder::app
