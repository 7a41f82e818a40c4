// JSON Lines reader and UTF-8 check: see jsonl.h.
#include "util/jsonl.h"

#include "util/files.h"

namespace stepcoder {

static std::string where(const std::string& path, int line) {
  return path + ":" + std::to_string(line) + ": ";
}

Expected<JsonlFile> read_jsonl(const std::string& path, JsonlOptions opts) {
  Expected<std::string> text = read_maybe_gz(path);
  if (!text) return Error(text.error());
  JsonlFile out;
  size_t pos = 0;
  int line = 0;
  const std::string& s = *text;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) nl = s.size();
    std::string_view row(s.data() + pos, nl - pos);
    pos = nl + 1;
    ++line;
    if (row.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string problem;
    Json value = Json::parse(row.begin(), row.end(), nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
      problem = "not valid JSON";
    } else if (!value.is_object()) {
      problem = "expected a JSON object, got " + std::string(value.type_name());
    }
    if (problem.empty()) {
      out.rows.push_back({line, std::move(value)});
      continue;
    }
    if (!opts.skip_bad) return Error(where(path, line) + problem);
    ++out.skipped;
    out.warnings.push_back(where(path, line) + problem);
  }
  return out;
}

std::string to_jsonl(const std::vector<Json>& rows) {
  std::string out;
  for (const Json& r : rows) {
    out += r.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

bool valid_utf8(const std::string& s, size_t* offset) {
  size_t i = 0, n = s.size();
  auto fail = [&](size_t at) {
    if (offset) *offset = at;
    return false;
  };
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0) return fail(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > n) return fail(i);
    uint32_t cp = c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return fail(i);
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates and code points past U+10FFFF.
    static const uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail(i);
    i += len;
  }
  return true;
}

}  // namespace stepcoder
