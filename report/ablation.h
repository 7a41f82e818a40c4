// The ablation table (`stepcoder ablate`): one row per config with held-out pass@1 (greedy),
// pass@5 (sampled), the verdict mix and the training wall time, as Markdown and JSON. Rows
// are built from what `stepcoder eval --json` prints, so the table writer needs no model.
//
//   std::vector<AblationRow> rows;
//   rows.push_back(row_from_eval("fgo", eval_json, /*train_seconds=*/812));
//   rows.push_back(failed_row("no-fgo", "train exited with status 1"));
//   write_file_atomic("out/ablation.md", ablation_markdown(rows));
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/jsonl.h"

namespace stepcoder::report {

struct AblationRow {
  std::string name;
  std::string error;                 // empty when the config trained and evaluated
  int problems = 0;
  double pass1 = -1;                 // greedy (temperature 0); -1 when not measured
  double pass5 = -1;                 // at pass5_temperature with pass5_n samples; -1 when not measured
  double pass5_temperature = 0;
  int pass5_n = 0;
  std::map<std::string, double> verdicts;  // verdict -> share of the greedy samples
  double train_seconds = -1;         // -1 when unknown
};

// Greedy pass@1 and verdict mix from the temperature-0 result (else the first), pass@5 from the
// first temperature above 0 that reports it.
AblationRow row_from_eval(const std::string& name, const Json& eval, double train_seconds);
AblationRow failed_row(const std::string& name, const std::string& error);

// Verdict columns: passed, failed, compile_error, runtime_error, timeout always, then any other
// verdict some row has. Failed configs keep their row with the reason.
std::string ablation_markdown(const std::vector<AblationRow>& rows);
Json ablation_json(const std::vector<AblationRow>& rows);

}  // namespace stepcoder::report
