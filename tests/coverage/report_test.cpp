// Decoding, merging, reports and token masks over synthetic counter bytes (no processes).
#include <gtest/gtest.h>

#include <cctype>
#include <cstring>

#include "coverage/coverage_map.h"
#include "coverage/report.h"
#include "coverage/runtime.h"
#include "coverage/token_mask.h"

namespace stepcoder::coverage {
namespace {

// f(x): entry = counter 0 (shared with `if`), `return 1;` = 1, `return 2;` = 2;
// g(): counter 3, never called.
const char* kProgram =
    "#include <cstdio>\n"            // 1
    "int f(int x) {\n"               // 2
    "  if (x) return 1;\n"           // 3
    "  return 2;\n"                  // 4
    "}\n"                            // 5
    "int g() {\n"                    // 6
    "  return 3;\n"                  // 7
    "}\n";                           // 8

Instrumented fixture() {
  Instrumented inst;
  inst.program = kProgram;
  auto span = [&](const std::string& text, int line) {
    SourceSpan s;
    s.begin = inst.program.find(text);
    s.end = s.begin + text.size();
    s.line = s.end_line = line;
    return s;
  };
  SourceSpan f = span("int f(int x) {\n  if (x) return 1;\n  return 2;\n}", 2);
  f.end_line = 5;
  SourceSpan g = span("int g() {\n  return 3;\n}", 6);
  g.end_line = 8;
  inst.functions = {{"f", f, 2, 0, false}, {"g", g, 6, 3, false}};
  inst.statements = {{0, span("if (x) return 1;", 3), 0},
                     {1, span("return 1;", 3), 0},
                     {2, span("return 2;", 4), 0},
                     {3, span("return 3;", 7), 1}};
  inst.counters = 4;
  return inst;
}

std::string region(std::vector<uint64_t> counts, uint64_t magic = kSharedMagic) {
  uint32_t n = static_cast<uint32_t>(counts.size());
  counts.push_back(magic);
  counts.push_back(n);
  std::string bytes(counts.size() * 8, '\0');
  std::memcpy(bytes.data(), counts.data(), bytes.size());
  return bytes;
}

TEST(CoverageMap, DecodeChecksTheTrailer) {
  Instrumented inst = fixture();
  CoverageMap m = decode(inst, region({3, 1, 2, 0}));
  ASSERT_TRUE(m.valid);
  EXPECT_EQ(m.counts, (std::vector<uint64_t>{3, 1, 2, 0}));
  EXPECT_FALSE(decode(inst, region({3, 1, 2, 0}, 42)).valid) << "wrong magic";
  EXPECT_FALSE(decode(inst, region({3, 1, 2})).valid) << "wrong counter count";
  EXPECT_FALSE(decode(inst, "").valid) << "the program never mapped the region";
  EXPECT_FALSE(decode(inst, std::string(inst.shared_bytes(), '\0')).valid);
}

TEST(CoverageMap, MergeSkipsInvalidRuns) {
  Instrumented inst = fixture();
  CoverageMap total;
  merge_into(total, decode(inst, region({1, 1, 0, 0})));
  merge_into(total, decode(inst, ""));
  merge_into(total, decode(inst, region({2, 0, 2, 0})));
  ASSERT_TRUE(total.valid);
  EXPECT_EQ(total.counts, (std::vector<uint64_t>{3, 1, 2, 0}));
  CoverageMap none;
  merge_into(none, CoverageMap{});
  EXPECT_FALSE(none.valid);
}

TEST(Report, LineCountsAndLcov) {
  Instrumented inst = fixture();
  CoverageMap m = decode(inst, region({3, 1, 2, 0}));
  std::vector<LineCount> lines = line_counts(inst, m);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].line, 2);  // f's name line: its entries
  EXPECT_EQ(lines[0].count, 3u);
  EXPECT_EQ(lines[1].line, 3);
  EXPECT_EQ(lines[1].count, 3u) << "the highest count of the statements starting there";
  EXPECT_EQ(lines[4].line, 7);
  EXPECT_EQ(lines[4].count, 0u);
  EXPECT_EQ(to_lcov(inst, m, "p.cpp", "t1"),
            "TN:t1\nSF:p.cpp\nFN:2,f\nFN:6,g\nFNDA:3,f\nFNDA:0,g\nFNF:2\nFNH:1\n"
            "DA:2,3\nDA:3,3\nDA:4,2\nDA:6,0\nDA:7,0\nLF:5\nLH:3\nend_of_record\n");
  CoverageSummary s = summarize(inst, m);
  EXPECT_EQ(s.statements_hit, 3);
  EXPECT_EQ(s.functions_hit, 1);
}

TEST(Report, DuplicateFunctionNamesStayDistinctInLcov) {
  Instrumented inst = fixture();
  inst.functions[1].name = "f";
  std::string lcov = to_lcov(inst, CoverageMap{}, "p.cpp");
  EXPECT_NE(lcov.find("FN:2,f@2\n"), std::string::npos) << lcov;
  EXPECT_NE(lcov.find("FN:6,f@6\n"), std::string::npos) << lcov;
}

TEST(Report, JsonAndHtml) {
  Instrumented inst = fixture();
  CoverageMap a = decode(inst, region({1, 1, 0, 0}));
  CoverageMap b = decode(inst, region({2, 0, 2, 0}));
  CoverageMap m;
  merge_into(m, a);
  merge_into(m, b);
  Json j = to_json(inst, m, {a, b});
  EXPECT_EQ(j["summary"]["statements_hit"], 3);
  EXPECT_EQ(j["statements"][2]["count"], 2);
  EXPECT_EQ(j["statements"][2]["line"], 4);
  EXPECT_EQ(j["tests"][0]["counts"], Json({1, 1, 0, 0}));
  EXPECT_EQ(j["tests"][1]["statements_hit"], 2);
  std::string html = to_html(inst, m, "p <1>");
  EXPECT_NE(html.find("<title>p &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("#include &lt;cstdio&gt;"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"u\">return</span> <span class=\"u\">3;</span>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr class=\"miss\"><td class=\"n\">7</td><td class=\"c\">0</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr class=\"hit\"><td class=\"n\">4</td><td class=\"c\">2</td>"),
            std::string::npos);
  EXPECT_EQ(tracefile_name("CPP/12"), "CPP_12.info");
}

TEST(TokenMask, FollowsInnermostStatementOrFunction) {
  Instrumented inst = fixture();
  CoverageMap m = decode(inst, region({1, 0, 1, 0}));  // f(0) ran once; g never
  // Completion starts after "int f(int x) {\n": tokens relative to it.
  size_t start = inst.program.find("  if (x)");
  std::string c = inst.program.substr(start);
  auto tok = [&](const std::string& t, size_t from = 0) {
    size_t p = c.find(t, from);
    return std::make_pair(p, p + t.size());
  };
  std::vector<std::pair<size_t, size_t>> tokens = {
      tok("  if"),         // leading blanks: the statement it starts
      tok(" return 1"),    // the unexecuted then-branch
      tok("return 2"),     // ran
      tok("}\nint"),       // f's closing brace: f was entered
      tok("int g"),        // g's signature: never entered
      tok("return 3"),     // in g
      tok("\n  ", c.find("int g")),  // blank token: takes the byte after it (in g)
      {c.size() + 5, c.size() + 9},  // past the program
  };
  EXPECT_EQ(token_mask(inst, m, start, tokens), (std::vector<uint8_t>{1, 0, 1, 1, 0, 0, 0, 1}));
  EXPECT_EQ(token_mask(inst, CoverageMap{}, start, tokens), std::vector<uint8_t>(8, 1))
      << "no counters (compile error): nothing is masked";
  std::vector<ByteState> st = byte_states(inst, m);
  EXPECT_EQ(st[0], ByteState::Outside) << "#include is outside every function";
}

// The share FGO keeps: every non-blank completion byte except those of statements that never ran.
TEST(TokenMask, KeptShareCountsNonBlankBytesOfTheCompletion) {
  Instrumented inst = fixture();
  CoverageMap m = decode(inst, region({1, 0, 1, 0}));  // f(0): `return 1;` and all of g unexecuted
  size_t start = inst.program.find("  if (x)");
  std::vector<ByteState> st = byte_states(inst, m);
  size_t bytes = 0, dropped = 0;
  for (size_t i = start; i < inst.program.size(); ++i)
    if (!std::isspace(static_cast<unsigned char>(inst.program[i]))) ++bytes, dropped += st[i] == ByteState::NotRun;
  // "return1;" (8) in f, and g: "intg(){" (7), "return3;" (8), "}" (1).
  EXPECT_EQ(dropped, 24u);
  EXPECT_DOUBLE_EQ(kept_share(inst, m, start), 1.0 - 24.0 / static_cast<double>(bytes));
  EXPECT_DOUBLE_EQ(kept_share(inst, decode(inst, region({1, 1, 1, 1})), start), 1.0) << "everything ran";
  EXPECT_DOUBLE_EQ(kept_share(inst, CoverageMap{}, start), 1.0) << "no counters: nothing is masked";
}

}  // namespace
}  // namespace stepcoder::coverage
