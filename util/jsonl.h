// JSON Lines: one JSON object a line, plain or gzipped. Errors name the file and the line.
//
//   auto rows = read_jsonl("tasks.jsonl.gz");
//   if (!rows) die(rows.error());            // "tasks.jsonl.gz:17: parse error ..."
//   for (const JsonlRow& r : *rows) use(r.line, r.value);
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/expected.h"

namespace stepcoder {

using Json = nlohmann::json;

struct JsonlRow {
  int line = 0;  // 1-based line number in the file
  Json value;
};

struct JsonlOptions {
  bool skip_bad = false;  // skip malformed lines (counted) instead of failing
};

struct JsonlFile {
  std::vector<JsonlRow> rows;
  int skipped = 0;                    // malformed lines skipped under skip_bad
  std::vector<std::string> warnings;  // one "file:line: why" per skipped line
};

// Blank lines are ignored; every other line must be a JSON object.
Expected<JsonlFile> read_jsonl(const std::string& path, JsonlOptions opts = {});
// Serializes one object per line; non-ASCII is kept as UTF-8.
std::string to_jsonl(const std::vector<Json>& rows);

// True when s is valid UTF-8 without NUL bytes; otherwise sets *offset to the first bad byte.
bool valid_utf8(const std::string& s, size_t* offset = nullptr);

}  // namespace stepcoder
