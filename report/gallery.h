// The gallery of sampled programs in the run report: each episode as a card with its verdict,
// reward and the program line by line, coloured by coverage (executed, not executed, the line
// an error points at) with the prompt part dimmed, so a reader sees what the model wrote and
// which of it the tests ran.
//
//   std::string html = gallery_html(run.gallery);   // run from load_run()
#pragma once

#include <string>
#include <vector>

#include "run/episode_store.h"
#include "report/run_data.h"

namespace stepcoder::report {

// One <div class="episode"> with a <div class="ln m-X"> per program line, X one of
// x (executed), u (not executed), e (error line), n (no code / no coverage).
std::string episode_html(const run::EpisodeRow& e);
std::string gallery_html(const std::vector<EpisodeGroup>& groups);

}  // namespace stepcoder::report
