// Instrumented <-> JSON: see instrument_wire.h.
#include "coverage/instrument_wire.h"

#include "util/jsonl.h"

namespace stepcoder::coverage {

namespace {

Json span_json(const SourceSpan& s) {
  return Json::array({s.begin, s.end, s.line, s.column, s.end_line, s.end_column});
}

bool span_from(const Json& j, size_t program_size, SourceSpan& s) {
  if (!j.is_array() || j.size() != 6) return false;
  for (const Json& v : j)
    if (!v.is_number_unsigned()) return false;
  s.begin = j[0].get<size_t>(), s.end = j[1].get<size_t>();
  s.line = j[2].get<int>(), s.column = j[3].get<int>();
  s.end_line = j[4].get<int>(), s.end_column = j[5].get<int>();
  return s.begin <= s.end && s.end <= program_size && s.line > 0 && s.end_line >= s.line;
}

}  // namespace

std::string encode_instrumented(const Instrumented& inst) {
  Json stmts = Json::array(), funcs = Json::array();
  for (const Statement& s : inst.statements) stmts.push_back({s.counter, s.function, span_json(s.span)});
  for (const Function& f : inst.functions)
    funcs.push_back({f.name, f.name_line, f.counter, f.is_lambda, span_json(f.span)});
  Json j = {{"source", inst.source}, {"counters", inst.counters}, {"statements", stmts},
            {"functions", funcs}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string encode_instrument_error(const std::string& error) {
  return Json{{"error", error}}.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Expected<Instrumented> decode_instrumented(const std::string& text, const std::string& program) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Error("the instrumenter's output is not JSON");
  if (j.contains("error") && j["error"].is_string()) return Error(j["error"].get<std::string>());
  const Json &src = j["source"], &n = j["counters"], &stmts = j["statements"], &funcs = j["functions"];
  if (!src.is_string() || !n.is_number_unsigned() || !stmts.is_array() || !funcs.is_array())
    return Error("the instrumenter's output lacks fields");
  Instrumented inst;
  inst.program = program;
  inst.source = src.get<std::string>();
  inst.counters = n.get<uint32_t>();
  auto bad = [] { return Error("the instrumenter's output is malformed"); };
  for (const Json& f : funcs) {
    Function fn;
    if (!f.is_array() || f.size() != 5 || !f[0].is_string() || !f[1].is_number_integer() ||
        !f[2].is_number_unsigned() || !f[3].is_boolean() || !span_from(f[4], program.size(), fn.span))
      return bad();
    fn.name = f[0].get<std::string>(), fn.name_line = f[1].get<int>();
    fn.counter = f[2].get<uint32_t>(), fn.is_lambda = f[3].get<bool>();
    if (fn.counter >= inst.counters) return bad();
    inst.functions.push_back(std::move(fn));
  }
  for (const Json& s : stmts) {
    Statement st;
    if (!s.is_array() || s.size() != 3 || !s[0].is_number_unsigned() || !s[1].is_number_integer() ||
        !span_from(s[2], program.size(), st.span))
      return bad();
    st.counter = s[0].get<uint32_t>(), st.function = s[1].get<int>();
    if (st.counter >= inst.counters || st.function < -1 ||
        st.function >= static_cast<int>(inst.functions.size()))
      return bad();
    inst.statements.push_back(st);
  }
  return inst;
}

}  // namespace stepcoder::coverage
