// The ablation table (`stepcoder ablate`): one row per trained run (an arm's config at one
// seed) with held-out pass@1 (greedy), pass@5 (sampled), the verdict mix and the training wall
// time; and, over an arm's seeds, the mean greedy pass@1 and its paired difference to the
// baseline arm with 95% bootstrap intervals over seeds x problems (paired_bootstrap.h). As
// Markdown and JSON. Rows are built from what `stepcoder eval --json` prints, so the table
// writer needs no model.
//
//   std::vector<AblationRow> rows;
//   rows.push_back(row_from_eval("fgo", eval_json, /*train_seconds=*/812, /*seed=*/1));
//   rows.push_back(failed_row("no-fgo", "train exited with status 1", /*seed=*/1));
//   auto arms = summarize_arms(rows, /*baseline=*/"no-fgo");
//   write_file_atomic("out/ablation.md", ablation_markdown(rows, *arms));
#pragma once

#include <map>
#include <string>
#include <vector>

#include "report/paired_bootstrap.h"
#include "util/jsonl.h"

namespace stepcoder::report {

struct AblationRow {
  std::string name;                  // the arm
  int64_t seed = 0;                  // train.seed of this run; 0 when the config's own
  std::string error;                 // empty when the config trained and evaluated
  int problems = 0;
  double pass1 = -1;                 // greedy (temperature 0); -1 when not measured
  double pass5 = -1;                 // at pass5_temperature with pass5_n samples; -1 when not measured
  double pass5_temperature = 0;
  int pass5_n = 0;
  std::map<std::string, double> verdicts;  // verdict -> share of the greedy samples
  double train_seconds = -1;         // -1 when unknown
  // Per problem, in evaluation order: its task id and whether the greedy sample passed (empty
  // when the evaluation did not list them).
  std::vector<std::string> task_ids;
  std::vector<double> greedy;
};

// Greedy pass@1 and verdict mix from the temperature-0 result (else the first), pass@5 from the
// first temperature above 0 that reports it.
AblationRow row_from_eval(const std::string& name, const Json& eval, double train_seconds, int64_t seed = 0);
AblationRow failed_row(const std::string& name, const std::string& error, int64_t seed = 0);

// One arm over its seeds.
struct ArmSummary {
  std::string name;
  bool baseline = false;
  int runs = 0, failed = 0;  // runs of the arm, and how many of them failed
  Interval pass1;            // mean greedy pass@1 over seeds x problems
  bool has_difference = false;
  Interval difference;       // pass1 minus the baseline's, seed i paired with the baseline's seed i
  std::string note;          // why an interval is missing
};

// Arms in the order their rows first appear; seeds within an arm in row order. An arm is
// paired with the baseline when both have the same number of finished runs over the same
// problems. Error: the baseline names no arm.
Expected<std::vector<ArmSummary>> summarize_arms(const std::vector<AblationRow>& rows, const std::string& baseline,
                                                 const BootstrapOptions& o = {});

// Verdict columns: passed, failed, compile_error, runtime_error, timeout always, then any other
// verdict some row has. Failed configs keep their row with the reason.
// With `arms`, a table of the arms (mean, intervals) comes first.
std::string ablation_markdown(const std::vector<AblationRow>& rows, const std::vector<ArmSummary>& arms = {});
Json ablation_json(const std::vector<AblationRow>& rows, const std::vector<ArmSummary>& arms = {});
// A self-contained page: the arms' means and differences drawn with their intervals, then the
// tables (report/ablation_page.cpp).
std::string ablation_html(const std::vector<AblationRow>& rows, const std::vector<ArmSummary>& arms);

}  // namespace stepcoder::report
