// The instrumenter as source in -> source out, on the constructs that make statement
// instrumentation tricky: macros, templates, lambdas, range-for, if constexpr, labels, switch,
// statements split over lines or sharing one, and programs that do not parse.
#include "coverage/instrument.h"

#include <gtest/gtest.h>

#include <regex>

namespace stepcoder::coverage {
namespace {

InstrumentOptions test_options() {
  InstrumentOptions o;
  o.cache_dir = STEPCODER_BINARY_DIR "/coverage-cache";
  return o;
}

// The instrumented program without the runtime prelude.
std::string body_of(const Instrumented& inst) {
  size_t p = inst.source.find("#line 1\n");
  return p == std::string::npos ? "<no #line marker>" : inst.source.substr(p + 8);
}

std::string instrumented(const std::string& program) {
  auto r = instrument(program, test_options());
  if (!r) return "ERROR " + r.error();
  // The output must itself be a program Clang accepts, with the same lines.
  auto again = instrument(r->source, test_options());
  EXPECT_TRUE(again) << "instrumented text does not parse: " << again.error() << "\n" << r->source;
  std::string body = body_of(*r);
  EXPECT_EQ(std::count(body.begin(), body.end(), '\n'),
            std::count(program.begin(), program.end(), '\n'));
  EXPECT_EQ(std::regex_replace(body, std::regex(R"(__sc_inc\(\d+\);|[{}])"), ""),
            std::regex_replace(program, std::regex("[{}]"), ""));
  return body;
}

std::string text_of(const Instrumented& inst, const Statement& s) {
  return inst.program.substr(s.span.begin, s.span.end - s.span.begin);
}

TEST(Instrument, BracesAroundSingleStatementBodies) {
  EXPECT_EQ(instrumented("int f(int n) {\n"
                         "  if (n) n = 1; else if (n == 2) n = 2; else n = 3;\n"
                         "  for (int i = 0; i < 3; ++i) n += i;\n"
                         "  while (n > 9) n--;\n"
                         "  do n++; while (n < 0);\n"
                         "  return n;\n"
                         "}\n"),
            "int f(int n) {\n"
            "  __sc_inc(0);if (n) {__sc_inc(1);n = 1;} else {__sc_inc(2);if (n == 2) "
            "{__sc_inc(3);n = 2;} else {__sc_inc(4);n = 3;}}\n"
            "  __sc_inc(5);for (int i = 0; i < 3; ++i) {__sc_inc(6);n += i;}\n"
            "  __sc_inc(7);while (n > 9) {__sc_inc(8);n--;}\n"
            "  __sc_inc(9);do {__sc_inc(10);n++;} while (n < 0);\n"
            "  __sc_inc(11);return n;\n"
            "}\n");
}

TEST(Instrument, CountersGoAfterLabelsAndCases) {
  EXPECT_EQ(instrumented("int f(int n) {\n"
                         "again:\n"
                         "  if (n > 100) { n /= 2; goto again; }\n"
                         "  switch (n) {\n"
                         "    case 1: n++; break;\n"
                         "    case 2:\n"
                         "    case 3: { n--; }\n"
                         "      [[fallthrough]];\n"
                         "    default: n = 0;\n"
                         "  }\n"
                         "  while (n) end: n--;\n"
                         "  return n;\n"
                         "}\n"),
            "int f(int n) {__sc_inc(0);\n"
            "again:\n"
            "  __sc_inc(1);if (n > 100) { __sc_inc(2);n /= 2; __sc_inc(3);goto again; }\n"
            "  __sc_inc(4);switch (n) {\n"
            "    case 1: __sc_inc(5);n++; __sc_inc(6);break;\n"
            "    case 2:\n"
            "    case 3: { __sc_inc(7);n--; }\n"
            "      [[fallthrough]];\n"
            "    default: __sc_inc(8);n = 0;\n"
            "  }\n"
            "  __sc_inc(9);while (n) {end: __sc_inc(10);n--;}\n"
            "  __sc_inc(11);return n;\n"
            "}\n")
      << "a label first in the body: the entry counter (0) stays separate";
  auto r = instrument("int f(int n) {\nagain:\n  return n;\n}\n", test_options());
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(body_of(*r), "int f(int n) {__sc_inc(0);\nagain:\n  __sc_inc(1);return n;\n}\n");
  ASSERT_EQ(r->functions.size(), 1u);
  EXPECT_EQ(r->functions[0].counter, 0u);
}

TEST(Instrument, Macros) {
  EXPECT_EQ(instrumented("#define SQ(x) ((x) * (x))\n"
                         "#define SWAP(a, b) { int t = a; a = b; b = t; }\n"
                         "#define FOR(i, n) for (int i = 0; i < (n); ++i)\n"
                         "#define TWO(a) a++; a++\n"
                         "int f(int n, int s) {\n"
                         "  s += SQ(n);\n"
                         "  FOR(i, n) s += i;\n"
                         "  if (n > 3) SWAP(s, n);\n"
                         "  TWO(s);\n"
                         "  return s;\n"
                         "}\n"),
            "#define SQ(x) ((x) * (x))\n"
            "#define SWAP(a, b) { int t = a; a = b; b = t; }\n"
            "#define FOR(i, n) for (int i = 0; i < (n); ++i)\n"
            "#define TWO(a) a++; a++\n"
            "int f(int n, int s) {\n"
            "  __sc_inc(0);s += SQ(n);\n"
            "  __sc_inc(1);FOR(i, n) {__sc_inc(2);s += i;}\n"
            "  __sc_inc(3);if (n > 3) {__sc_inc(4);SWAP(s, n)};\n"
            "  __sc_inc(5);TWO(s);\n"
            "  __sc_inc(6);return s;\n"
            "}\n");
}

TEST(Instrument, TemplatesAreInstrumentedOnceAndIfConstexpr) {
  std::string program =
      "template <class T> T twice(T x) { return x + x; }\n"
      "template <class T> int kind(T v) {\n"
      "  if constexpr (std::is_integral_v<T>) return 1;\n"
      "  else return 2;\n"
      "}\n"
      "int use() { return twice(1) + twice(2.0) + kind(1) + kind('c'); }\n";
  EXPECT_EQ(instrumented(program),
            "template <class T> T twice(T x) { __sc_inc(0);return x + x; }\n"
            "template <class T> int kind(T v) {\n"
            "  __sc_inc(1);if constexpr (std::is_integral_v<T>) {__sc_inc(2);return 1;}\n"
            "  else {__sc_inc(3);return 2;}\n"
            "}\n"
            "int use() { __sc_inc(4);return twice(1) + twice(2.0) + kind(1) + kind('c'); }\n");
  auto r = instrument(program, test_options());
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->functions.size(), 3u);
  EXPECT_EQ(r->functions[0].name, "twice");
  EXPECT_EQ(r->functions[2].name, "use");
}

TEST(Instrument, LambdasRangeForAndConstexpr) {
  EXPECT_EQ(instrumented("constexpr int sq(int x) { return x * x; }\n"
                         "auto inc = [](int v) { return v + 1; };\n"
                         "int f(std::vector<int> v) {\n"
                         "  int s = 0;\n"
                         "  for (int x : v) s += x;\n"
                         "  auto outer = [&](int a) { auto in = [a](int b) { return a + b; }; "
                         "return in(s); };\n"
                         "  auto k = []() constexpr { return 5; };\n"
                         "  return outer(sq(2)) + k() + inc(1);\n"
                         "}\n"),
            "constexpr int sq(int x) { return x * x; }\n"
            "auto inc = [](int v) { __sc_inc(0);return v + 1; };\n"
            "int f(std::vector<int> v) {\n"
            "  __sc_inc(1);int s = 0;\n"
            "  __sc_inc(2);for (int x : v) {__sc_inc(3);s += x;}\n"
            "  __sc_inc(4);auto outer = [&](int a) { __sc_inc(5);auto in = [a](int b) { "
            "__sc_inc(6);return a + b; }; __sc_inc(7);return in(s); };\n"
            "  __sc_inc(8);auto k = []() constexpr { return 5; };\n"
            "  __sc_inc(9);return outer(sq(2)) + k() + inc(1);\n"
            "}\n");
}

TEST(Instrument, ClassesTryAndEmptyBodies) {
  EXPECT_EQ(instrumented("struct A {\n"
                         "  int t = 0;\n"
                         "  A() : t(1) {}\n"
                         "  void add(int v) { t += v; }\n"
                         "  int get() const;\n"
                         "};\n"
                         "int A::get() const { return t; }\n"
                         "int g(int b) {\n"
                         "  try { if (b == 0) throw 1; return 10 / b; }\n"
                         "  catch (int) { return 0; }\n"
                         "}\n"),
            "struct A {\n"
            "  int t = 0;\n"
            "  A() : t(1) {__sc_inc(0);}\n"
            "  void add(int v) { __sc_inc(1);t += v; }\n"
            "  int get() const;\n"
            "};\n"
            "int A::get() const { __sc_inc(2);return t; }\n"
            "int g(int b) {\n"
            "  __sc_inc(3);try { __sc_inc(4);if (b == 0) {__sc_inc(5);throw 1;} "
            "__sc_inc(6);return 10 / b; }\n"
            "  catch (int) { __sc_inc(7);return 0; }\n"
            "}\n");
}

TEST(Instrument, SpansOfSplitAndSharedLines) {
  auto r = instrument("int f(int a,\n      int b) {\n  int s = a +\n    b; s++;\n"
                      "  if (s)\n    return s;\n  return 0;\n}\n",
                      test_options());
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->statements.size(), 5u);
  EXPECT_EQ(text_of(*r, r->statements[0]), "int s = a +\n    b;");
  EXPECT_EQ(r->statements[0].span.line, 3);
  EXPECT_EQ(r->statements[0].span.column, 3);
  EXPECT_EQ(r->statements[0].span.end_line, 4);
  EXPECT_EQ(r->statements[0].span.end_column, 6);
  EXPECT_EQ(text_of(*r, r->statements[1]), "s++;");
  EXPECT_EQ(r->statements[1].span.line, 4);
  EXPECT_EQ(r->statements[1].span.column, 8);
  EXPECT_EQ(text_of(*r, r->statements[2]), "if (s)\n    return s;");
  EXPECT_EQ(text_of(*r, r->statements[3]), "return s;");
  EXPECT_EQ(text_of(*r, r->statements[4]), "return 0;");
  ASSERT_EQ(r->functions.size(), 1u);
  EXPECT_EQ(r->functions[0].name, "f");
  EXPECT_EQ(r->functions[0].name_line, 1);
  EXPECT_EQ(r->functions[0].span.begin, 0u);
  EXPECT_EQ(r->functions[0].span.end, r->program.size() - 1);
  EXPECT_EQ(r->functions[0].counter, r->statements[0].counter) << "entry shares the first counter";
  for (const Statement& s : r->statements) EXPECT_EQ(s.function, 0);
}

TEST(Instrument, ProgramWithoutMainTakesAppendedTests) {
  auto r = instrument("#include <vector>\nint add(int a, int b) {\n  return a + b;\n}\n",
                      test_options());
  ASSERT_TRUE(r) << r.error();
  std::string with_tests = r->source + "#undef NDEBUG\n#include <cassert>\n"
                                       "int main() { assert(add(1, 2) == 3); }\n";
  auto again = instrument(with_tests, test_options());
  EXPECT_TRUE(again) << again.error();
  EXPECT_EQ(r->shared_bytes(), (r->counters + 2) * 8);
}

TEST(Instrument, CodeThatDoesNotParseIsAClearError) {
  auto r = instrument("int f() {\n  int x = 1;\n  return y +;\n}\n", test_options());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("program does not parse"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("3:"), std::string::npos) << "names the line: " << r.error();
  auto unterminated = instrument("int f() {\n  return 1;\n", test_options());
  EXPECT_FALSE(unterminated);
  auto empty = instrument("", test_options());
  ASSERT_TRUE(empty) << empty.error();
  EXPECT_EQ(empty->counters, 0u);
}

TEST(Instrument, WithoutForcedHeaderUnknownNamesFail) {
  InstrumentOptions o = test_options();
  o.force_include_stdcpp = false;
  EXPECT_FALSE(instrument("int f() { std::vector<int> v; return v.size(); }\n", o));
  EXPECT_TRUE(instrument("#include <vector>\nint f() { std::vector<int> v; return v.size(); }\n", o));
}

}  // namespace
}  // namespace stepcoder::coverage
