// Converters from HumanEval-X, MBXP and APPS-style records: see importers.h.
#include "tasks/importers.h"

#include <cctype>
#include <regex>

namespace stepcoder::tasks {

static Error field_error(const std::string& origin, const char* key, const std::string& why) {
  return Error(origin + ": field '" + key + "' " + why);
}

Expected<std::string> string_field(const Json& r, const char* key, const std::string& origin) {
  auto it = r.find(key);
  if (it == r.end()) return field_error(origin, key, "is missing");
  if (!it->is_string()) {
    return field_error(origin, key, std::string("must be a string, got ") + it->type_name());
  }
  return it->get<std::string>();
}

Expected<std::string> optional_string_field(const Json& r, const char* key,
                                            const std::string& origin) {
  auto it = r.find(key);
  if (it == r.end() || it->is_null()) return std::string();
  return string_field(r, key, origin);
}

std::string find_entry_point(const std::string& code) {
  // A definition head: name, a parameter list without nested parentheses, then '{'.
  static const std::regex head(R"(([A-Za-z_]\w*)\s*\([^()]*\)\s*(const\s*)?\{)");
  static const char* kKeywords[] = {"if", "for", "while", "switch", "catch", "return"};
  std::string name;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), head);
       it != std::sregex_iterator(); ++it) {
    std::string n = (*it)[1].str();
    bool keyword = false;
    for (const char* k : kKeywords) keyword = keyword || n == k;
    if (!keyword) name = n;
  }
  return name;
}

std::string comment_block(const std::string& text) {
  std::string body = text;
  for (size_t p = body.find("*/"); p != std::string::npos; p = body.find("*/", p + 2)) {
    body.replace(p, 2, "* /");
  }
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.pop_back();
  return "/*\n" + body + "\n*/\n";
}

// Shared by HumanEval-X and MBXP: both have prompt, canonical_solution and a test main().
static Expected<Problem> from_prompt_solution_test(const Json& r, const std::string& origin) {
  Problem p;
  p.origin = origin;
  auto id = string_field(r, "task_id", origin);
  if (!id) return Error(id.error());
  auto prompt = string_field(r, "prompt", origin);
  if (!prompt) return Error(prompt.error());
  auto solution = optional_string_field(r, "canonical_solution", origin);
  if (!solution) return Error(solution.error());
  auto test = string_field(r, "test", origin);
  if (!test) return Error(test.error());
  if (test->find("main") == std::string::npos) {
    return field_error(origin, "test", "has no main() to run");
  }
  p.task_id = *id;
  p.prompt = *prompt;
  p.canonical_solution = *solution;
  p.tests.kind = sandbox::Tests::Kind::Assert;
  p.tests.code = *test;
  return p;
}

Expected<Problem> from_humaneval_x(const Json& r, const std::string& origin) {
  auto p = from_prompt_solution_test(r, origin);
  if (!p) return p;
  p->entry_point = find_entry_point(p->prompt);
  p->family = "humaneval-x";
  return p;
}

Expected<Problem> from_mbxp(const Json& r, const std::string& origin) {
  auto p = from_prompt_solution_test(r, origin);
  if (!p) return p;
  auto entry = optional_string_field(r, "entry_point", origin);
  if (!entry) return Error(entry.error());
  p->entry_point = entry->empty() ? find_entry_point(p->prompt) : *entry;
  p->family = "mbxp";
  return p;
}

// APPS stores lists and objects either as JSON values or as JSON text inside a string.
static Expected<Json> json_or_text(const Json& r, const char* key, const std::string& origin) {
  auto it = r.find(key);
  if (it == r.end() || it->is_null()) return Json();
  if (!it->is_string()) return *it;
  const std::string& s = it->get_ref<const std::string&>();
  if (s.empty()) return Json();
  Json v = Json::parse(s, nullptr, /*allow_exceptions=*/false);
  if (v.is_discarded()) return field_error(origin, key, "holds text that is not valid JSON");
  return v;
}

// One APPS input or output: a string, or a list of lines.
static bool io_text(const Json& v, std::string* out) {
  if (v.is_string()) {
    *out = v.get<std::string>();
    return true;
  }
  if (!v.is_array()) return false;
  out->clear();
  for (const Json& line : v) {
    if (!line.is_string()) return false;
    *out += line.get<std::string>() + "\n";
  }
  return true;
}

static Status apps_cases(const Json& io, const std::string& origin, sandbox::Tests* tests) {
  if (!io.is_object()) return field_error(origin, "input_output", "must be an object");
  if (io.contains("fn_name")) {
    return field_error(origin, "input_output",
                       "is call-based (fn_name); only stdin/stdout records are supported");
  }
  const Json& ins = io.value("inputs", Json());
  const Json& outs = io.value("outputs", Json());
  if (!ins.is_array() || !outs.is_array() || ins.size() != outs.size()) {
    return field_error(origin, "input_output", "needs lists 'inputs' and 'outputs' of one length");
  }
  if (ins.empty()) return field_error(origin, "input_output", "has no test cases");
  tests->kind = sandbox::Tests::Kind::Io;
  for (size_t i = 0; i < ins.size(); ++i) {
    sandbox::IoCase c;
    std::string out;
    if (!io_text(ins[i], &c.input) || !io_text(outs[i], &out)) {
      return field_error(origin, "input_output",
                         "case " + std::to_string(i) + " is not text or a list of lines");
    }
    c.output = out;
    tests->cases.push_back(std::move(c));
  }
  return {};
}

Expected<Problem> from_apps(const Json& r, const std::string& origin) {
  Problem p;
  p.origin = origin;
  auto question = string_field(r, "question", origin);
  if (!question) return Error(question.error());
  p.prompt = comment_block(*question);
  auto id = r.find("problem_id");
  if (id == r.end()) id = r.find("task_id");
  if (id != r.end() && id->is_number_integer()) {
    p.task_id = "apps/" + std::to_string(id->get<long long>());
  } else if (id != r.end() && id->is_string()) {
    p.task_id = id->get<std::string>();
  } else {
    p.task_id = "apps/" + origin.substr(origin.rfind(':') + 1);
  }
  auto solutions = json_or_text(r, "solutions", origin);
  if (!solutions) return Error(solutions.error());
  if (!solutions->is_null() && !solutions->is_array()) {
    return field_error(origin, "solutions", "must be a list of programs");
  }
  if (solutions->is_array() && !solutions->empty()) {
    if (!(*solutions)[0].is_string()) return field_error(origin, "solutions", "must hold text");
    p.canonical_solution = (*solutions)[0].get<std::string>();
  }
  auto io = json_or_text(r, "input_output", origin);
  if (!io) return Error(io.error());
  if (Status st = apps_cases(*io, origin, &p.tests); !st) return Error(st.error());
  auto difficulty = optional_string_field(r, "difficulty", origin);
  if (!difficulty) return Error(difficulty.error());
  p.difficulty = *difficulty;
  p.family = "apps";
  return p;
}

}  // namespace stepcoder::tasks
