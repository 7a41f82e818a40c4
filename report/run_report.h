// The HTML report of a training run (`stepcoder report RUN_DIR`): one self-contained page
// (inline CSS and SVG, no scripts, nothing fetched) with the training curves, the held-out
// evaluations, the curriculum, time per phase, the SFT curves, a gallery of sampled programs
// with line coverage, and the resolved config. Everything taken from the run is escaped.
//
//   auto path = write_report("runs/quickstart");       // runs/quickstart/report.html
//   if (!path) die(path.error());
#pragma once

#include <string>

#include "report/run_data.h"
#include "util/expected.h"

namespace stepcoder::report {

std::string render_report(const RunData& run);

// load_run + render_report, written atomically to `out` (default RUN_DIR/report.html).
// Returns the path written.
Expected<std::string> write_report(const std::string& run_dir, const std::string& out = "",
                                   const GalleryOptions& gallery = {});

// The number at a dotted path ("time.sample", "curriculum.advances"); NaN when absent or not
// a number.
double number_at(const Json& j, const std::string& dotted);

}  // namespace stepcoder::report
