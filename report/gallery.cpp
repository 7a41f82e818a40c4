// Episode cards of the run report (see gallery.h).
#include "report/gallery.h"

#include <algorithm>

#include "report/html.h"

namespace stepcoder::report {
namespace {

const char* mark_class(char m) {
  switch (m) {
    case '+': return "x";
    case '-': return "u";
    case '!': return "e";
    default: return "n";
  }
}

// The program (prompt + completion) line by line; bytes before `prompt_size` are dimmed.
std::string code_html(const std::string& program, size_t prompt_size, const std::string& marks) {
  std::string out = "<div class=\"code\">";
  size_t begin = 0;
  for (size_t line = 0; begin < program.size() || line == 0; ++line) {
    size_t end = program.find('\n', begin);
    if (end == std::string::npos) end = program.size();
    const char m = line < marks.size() ? marks[line] : '.';
    out += "<div class=\"ln m-" + std::string(mark_class(m)) + "\"><span class=\"no\">" + std::to_string(line + 1) +
           "</span>";
    const size_t split = std::clamp(prompt_size, begin, end);
    if (split > begin) out += "<span class=\"pr\">" + html_escape(program.substr(begin, split - begin)) + "</span>";
    out += html_escape(program.substr(split, end - split)) + "</div>";
    begin = end + 1;
  }
  return out + "</div>";
}

std::string stat(const std::string& name, const std::string& value) {
  return "<span class=\"st\">" + name + " <b>" + value + "</b></span>";
}

}  // namespace

std::string episode_html(const run::EpisodeRow& e) {
  std::string v = html_escape(e.verdict);
  std::string out = "<div class=\"episode v-" + v + "\" data-verdict=\"" + v + "\"><div class=\"hd\"><b>" +
                    html_escape(e.task_id) + "</b> <span class=\"badge b-" + v + "\">" + v + "</span>";
  out += stat("step", std::to_string(e.step) + " #" + std::to_string(e.index));
  out += stat("stage", std::to_string(e.stage) + "/" + std::to_string(e.stages));
  out += stat("reward", fmt_num(e.reward)) + stat("task reward", fmt_num(e.task_reward));
  out += stat("tests passed", fmt_pct(e.pass_ratio, 0)) + stat("FGO kept", fmt_pct(e.kept_fraction, 0));
  out += stat("tokens", std::to_string(e.tokens)) + "</div>";
  if (!e.message.empty()) out += "<div class=\"msg\">" + html_escape(e.message) + "</div>";
  return out + code_html(e.prompt + e.completion, e.prompt.size(), e.lines) + "</div>";
}

std::string gallery_html(const std::vector<EpisodeGroup>& groups) {
  std::string out =
      "<p class=\"legend-row\"><span class=\"key m-x\">executed</span><span class=\"key m-u\">not executed</span>"
      "<span class=\"key m-e\">error line</span><span class=\"key m-n\">no code</span>"
      "<span class=\"key\"><span class=\"pr\">prompt (dimmed)</span></span></p>";
  for (const EpisodeGroup& g : groups) {
    out += "<h3>" + html_escape(g.title) + "</h3><div class=\"gallery\">";
    for (const auto& e : g.episodes) out += episode_html(e);
    out += "</div>";
  }
  return out;
}

}  // namespace stepcoder::report
