// Problem files: the project JSONL both ways, format detection and the load loop that
// dispatches to the importers. See problem_io.h.
#include "tasks/problem_io.h"

#include <set>

#include "tasks/importers.h"
#include "util/files.h"

namespace stepcoder::tasks {

bool is_known_format(const std::string& name) {
  return name == kFormatAuto || name == kFormatProject || name == kFormatHumanEvalX ||
         name == kFormatMbxp || name == kFormatApps;
}

std::string detect_format(const Json& r) {
  if (!r.is_object()) return "";
  if (r.contains("tests") && r.contains("prompt")) return kFormatProject;
  if (r.contains("question") && (r.contains("input_output") || r.contains("solutions"))) {
    return kFormatApps;
  }
  if (r.contains("prompt") && r.contains("test")) {
    // MBXP records name their entry point and language; HumanEval-X carries a declaration.
    if (r.contains("entry_point") || r.contains("language")) return kFormatMbxp;
    return kFormatHumanEvalX;
  }
  return "";
}

static Expected<sandbox::Tests> tests_from_json(const Json& t, const std::string& origin) {
  sandbox::Tests tests;
  if (!t.is_object()) return Error(origin + ": field 'tests' must be an object");
  auto kind = t.find("kind");
  if (kind == t.end() || !kind->is_string()) {
    return Error(origin + ": tests.kind must be \"io\" or \"assert\"");
  }
  if (*kind == "assert") {
    auto code = t.find("code");
    if (code == t.end() || !code->is_string()) {
      return Error(origin + ": tests.code must be a string (test code with its own main)");
    }
    tests.kind = sandbox::Tests::Kind::Assert;
    tests.code = code->get<std::string>();
    return tests;
  }
  if (*kind != "io") {
    return Error(origin + ": tests.kind must be \"io\" or \"assert\", got \"" +
                 kind->get<std::string>() + "\"");
  }
  tests.kind = sandbox::Tests::Kind::Io;
  auto cases = t.find("cases");
  if (cases == t.end() || !cases->is_array()) {
    return Error(origin + ": tests.cases must be a list of {\"input\", \"output\"} objects");
  }
  for (size_t i = 0; i < cases->size(); ++i) {
    const Json& c = (*cases)[i];
    std::string where = origin + ": tests.cases[" + std::to_string(i) + "]";
    if (!c.is_object()) return Error(where + " must be an object");
    sandbox::IoCase io;
    auto in = c.find("input");
    if (in == c.end() || !in->is_string()) return Error(where + ".input must be a string");
    io.input = in->get<std::string>();
    auto out = c.find("output");
    if (out != c.end() && !out->is_null()) {
      if (!out->is_string()) return Error(where + ".output must be a string or null");
      io.output = out->get<std::string>();
    }
    tests.cases.push_back(std::move(io));
  }
  return tests;
}

Expected<Problem> problem_from_json(const Json& j, const std::string& origin) {
  Problem p;
  p.origin = origin;
  auto id = string_field(j, "task_id", origin);
  if (!id) return Error(id.error());
  if (id->empty()) return Error(origin + ": field 'task_id' is empty");
  p.task_id = *id;
  auto prompt = string_field(j, "prompt", origin);
  if (!prompt) return Error(prompt.error());
  p.prompt = *prompt;
  struct Optional {
    const char* key;
    std::string* dst;
  } optional[] = {{"canonical_solution", &p.canonical_solution},
                  {"entry_point", &p.entry_point},
                  {"difficulty", &p.difficulty},
                  {"family", &p.family},
                  {"split", &p.split},
                  {"holdout", &p.holdout}};
  for (const Optional& o : optional) {
    auto v = optional_string_field(j, o.key, origin);
    if (!v) return Error(v.error());
    *o.dst = *v;
  }
  auto tests = j.find("tests");
  if (tests == j.end()) return Error(origin + ": field 'tests' is missing");
  auto t = tests_from_json(*tests, origin);
  if (!t) return Error(t.error());
  p.tests = std::move(*t);
  return p;
}

Json problem_to_json(const Problem& p) {
  Json j = Json::object();
  j["task_id"] = p.task_id;
  j["prompt"] = p.prompt;
  j["canonical_solution"] = p.canonical_solution;
  Json t = Json::object();
  if (p.tests.kind == sandbox::Tests::Kind::Assert) {
    t["kind"] = "assert";
    t["code"] = p.tests.code;
  } else {
    t["kind"] = "io";
    Json cases = Json::array();
    for (const sandbox::IoCase& c : p.tests.cases) {
      Json jc = {{"input", c.input}};
      if (c.output) jc["output"] = *c.output;
      cases.push_back(std::move(jc));
    }
    t["cases"] = std::move(cases);
  }
  j["tests"] = std::move(t);
  if (!p.entry_point.empty()) j["entry_point"] = p.entry_point;
  if (!p.difficulty.empty()) j["difficulty"] = p.difficulty;
  if (!p.family.empty()) j["family"] = p.family;
  if (!p.split.empty()) j["split"] = p.split;
  if (!p.holdout.empty()) j["holdout"] = p.holdout;
  return j;
}

Expected<Problem> problem_from_record(const Json& record, const std::string& format,
                                      const std::string& origin) {
  if (format == kFormatProject) return problem_from_json(record, origin);
  if (format == kFormatHumanEvalX) return from_humaneval_x(record, origin);
  if (format == kFormatMbxp) return from_mbxp(record, origin);
  if (format == kFormatApps) return from_apps(record, origin);
  return Error(origin + ": unknown problem format \"" + format + "\"");
}

static Expected<std::string> choose_format(const JsonlFile& file, const std::string& path,
                                           const std::string& requested) {
  if (!is_known_format(requested)) {
    return Error("loading " + path + ": unknown format \"" + requested +
                 "\" (use auto, project, humaneval-x, mbxp or apps)");
  }
  if (requested != kFormatAuto) return requested;
  if (file.rows.empty()) return std::string(kFormatProject);
  const JsonlRow& first = file.rows.front();
  std::string f = detect_format(first.value);
  if (f.empty()) {
    return Error(path + ":" + std::to_string(first.line) +
                 ": cannot tell the format of this record (expected project fields task_id, "
                 "prompt, tests; or HumanEval-X/MBXP prompt, test; or APPS question, "
                 "input_output). Name it with --format.");
  }
  return f;
}

Expected<ProblemSet> load_problems(const std::string& path, const LoadOptions& opts) {
  auto file = read_jsonl(path, JsonlOptions{opts.skip_bad});
  if (!file) return Error("loading problems: " + file.error());
  auto format = choose_format(*file, path, opts.format);
  if (!format) return Error(format.error());
  ProblemSet set;
  set.format = *format;
  set.skipped_bad = file->skipped;
  set.warnings = file->warnings;
  std::set<std::string> ids;
  for (const JsonlRow& row : file->rows) {
    std::string origin = path + ":" + std::to_string(row.line);
    auto p = problem_from_record(row.value, set.format, origin);
    if (p && !ids.insert(p->task_id).second) {
      p = Error(origin + ": duplicate task_id \"" + p->task_id + "\"");
    }
    if (!p) {
      if (!opts.skip_bad) return Error(p.error());
      ++set.skipped_bad;
      set.warnings.push_back(p.error());
      continue;
    }
    if (p->canonical_solution.empty() && !opts.keep_without_solution) {
      ++set.skipped_no_solution;
      continue;
    }
    set.problems.push_back(std::move(*p));
  }
  return set;
}

std::string problems_to_jsonl(const std::vector<Problem>& problems) {
  std::vector<Json> rows;
  rows.reserve(problems.size());
  for (const Problem& p : problems) rows.push_back(problem_to_json(p));
  return to_jsonl(rows);
}

Status write_problems(const std::string& path, const std::vector<Problem>& problems) {
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
    return Error("writing " + path + ": gzip output is not supported; write plain .jsonl");
  }
  Status st = write_file_atomic(path, problems_to_jsonl(problems));
  if (!st) return Error("writing problems: " + st.error());
  return {};
}

}  // namespace stepcoder::tasks
