// Unit-test generation without the judge: input drawing, C++ literals, the printed-value
// format, printer output framing, calls of the visible tests and the assembled test code.
#include <gtest/gtest.h>

#include <set>

#include "tasks/testgen/source.h"
#include "tasks/testgen/values.h"

namespace stepcoder::tasks {
namespace {

TypeSpec scalar(TypeSpec::Kind kind, const std::string& spelling, bool is_unsigned = false) {
  TypeSpec t;
  t.kind = kind;
  t.spelling = spelling;
  t.is_unsigned = is_unsigned;
  return t;
}

TypeSpec vector_of(const TypeSpec& elem) {
  TypeSpec t;
  t.kind = TypeSpec::Kind::Vector;
  t.spelling = "vector<" + elem.spelling + ">";
  t.elem.push_back(elem);
  return t;
}

const TypeSpec kInt = scalar(TypeSpec::Kind::Int, "int");
const TypeSpec kString = scalar(TypeSpec::Kind::String, "string");
const TypeSpec kDouble = scalar(TypeSpec::Kind::Float, "double");

TEST(TestgenValuesTest, EdgeCasesComeFirst) {
  Rng rng(1);
  EXPECT_EQ(cpp_literal(make_value(kInt, rng, 0), kInt), "0");
  EXPECT_EQ(cpp_literal(make_value(kInt, rng, 1), kInt), "1");
  EXPECT_EQ(cpp_literal(make_value(kInt, rng, 2), kInt), "-1");
  TypeSpec u = scalar(TypeSpec::Kind::Int, "unsigned int", true);
  for (int e = 0; e < 10; ++e) EXPECT_EQ(make_value(u, rng, e).i, 0) << "unsigned values live in .u";
  TypeSpec v = vector_of(kInt);
  EXPECT_EQ(cpp_literal(make_value(v, rng, 0), v), "vector<int>{}");
  EXPECT_EQ(make_value(v, rng, 1).items.size(), 1u);
  EXPECT_EQ(cpp_literal(make_value(kString, rng, 0), kString), "string(\"\")");
}

TEST(TestgenValuesTest, DrawingIsDeterministicAndVaried) {
  TypeSpec vv = vector_of(vector_of(kInt));
  std::vector<std::string> a, b;
  Rng r1(42), r2(42);
  for (int k = 0; k < 50; ++k) {
    a.push_back(cpp_literal(make_value(vv, r1, -1), vv));
    b.push_back(cpp_literal(make_value(vv, r2, -1), vv));
  }
  EXPECT_EQ(a, b);
  EXPECT_GT(std::set<std::string>(a.begin(), a.end()).size(), 40u);
  // The raw mt19937_64 sequence is fixed by the standard, so this literal is the same with
  // every standard library.
  Rng r3(7);
  EXPECT_EQ(cpp_literal(make_value(vector_of(kInt), r3, -1), vector_of(kInt)), "vector<int>{5, 9, 1}");
}

TEST(TestgenValuesTest, RandomValuesStayInSensibleRanges) {
  Rng rng(3);
  TypeSpec c = scalar(TypeSpec::Kind::Char, "char");
  for (int k = 0; k < 500; ++k) {
    Value i = make_value(kInt, rng, -1);
    EXPECT_LE(std::abs(i.i), 1000);
    Value ch = make_value(c, rng, -1);
    EXPECT_TRUE(std::isalnum(static_cast<int>(ch.i)) || ch.i == ' ') << ch.i;
    Value s = make_value(kString, rng, -1);
    EXPECT_LE(s.s.size(), 12u);
  }
}

TEST(TestgenValuesTest, LiteralsAreValidCpp) {
  Value s;
  s.kind = TypeSpec::Kind::String;
  s.s = "a\"b\\c\nd\x01" "7";
  EXPECT_EQ(cpp_literal(s, kString), "string(\"a\\\"b\\\\c\\nd\\0017\")");
  s.s = std::string("x\0y", 3);
  EXPECT_EQ(cpp_literal(s, kString), "string(\"x\\000y\", 3)");
  Value big;
  big.kind = TypeSpec::Kind::Int;
  big.i = 3000000000LL;
  EXPECT_EQ(cpp_literal(big, scalar(TypeSpec::Kind::Int, "long long")), "3000000000LL");
  big.i = INT64_MIN;
  EXPECT_EQ(cpp_literal(big, scalar(TypeSpec::Kind::Int, "long long")), "(-9223372036854775807LL - 1)");
  Value f;
  f.kind = TypeSpec::Kind::Float;
  f.f = 2;
  EXPECT_EQ(cpp_literal(f, kDouble), "2.0");
  f.f = 0.1;
  EXPECT_EQ(cpp_literal(f, kDouble), "0.10000000000000001");
  Value q;
  q.kind = TypeSpec::Kind::Char;
  q.i = '\'';
  EXPECT_EQ(cpp_literal(q, scalar(TypeSpec::Kind::Char, "char")), "'\\''");
  q.i = 10;
  EXPECT_EQ(cpp_literal(q, scalar(TypeSpec::Kind::Char, "char")), "char(10)");
}

TEST(TestgenValuesTest, NestedVectorLiteralsUseBraceLists) {
  TypeSpec vs = vector_of(kString);
  TypeSpec vv = vector_of(vector_of(kInt));
  auto vs_val = parse_printed("2 1:a 3:b c ", vs);
  ASSERT_TRUE(vs_val) << vs_val.error();
  EXPECT_EQ(cpp_literal(*vs_val, vs), "vector<string>{\"a\", \"b c\"}");
  auto vv_val = parse_printed("2 2 1 -2 0 ", vv);
  ASSERT_TRUE(vv_val) << vv_val.error();
  EXPECT_EQ(cpp_literal(*vv_val, vv), "vector<vector<int>>{{1, -2}, {}}");
}

TEST(TestgenValuesTest, ParsePrintedRejectsMalformedPayloads) {
  EXPECT_TRUE(parse_printed("12", kInt)) << "a last number without its space is read";
  EXPECT_FALSE(parse_printed("1x ", kInt));
  EXPECT_FALSE(parse_printed("1 2 ", kInt)) << "trailing value";
  EXPECT_FALSE(parse_printed("nan ", kDouble));
  EXPECT_FALSE(parse_printed("inf ", kDouble));
  EXPECT_FALSE(parse_printed("5:ab ", kString));
  EXPECT_FALSE(parse_printed("2 ", scalar(TypeSpec::Kind::Bool, "bool")));
  EXPECT_FALSE(parse_printed("99999999 1 ", vector_of(kInt)));
  auto s = parse_printed("3:a b ", kString);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->s, "a b");
}

TEST(TestgenSourceTest, PrinterOutputKeepsRecordsBeforeACrash) {
  std::string out = "noise\n@@stepcoder 0 2\n1 \n@@stepcoder 1 9\n7:ab";  // torn second record
  PrinterOutput p = parse_printer_output(out);
  EXPECT_FALSE(p.finished);
  EXPECT_EQ(p.last, 0);
  ASSERT_EQ(p.payloads.size(), 1u);
  EXPECT_EQ(p.payloads[0], "1 ");
  p = parse_printer_output("\n@@stepcoder 3 2\n5 hello\n@@stepcoder end\n");
  EXPECT_TRUE(p.finished);
  EXPECT_EQ(p.payloads[3], "5 ");
}

TEST(TestgenSourceTest, FindsCallsOfTheEntryPointInTests) {
  std::string code = "int main() {\n  int x0 = minCost(vector<int>{1, 2}, f(3));\n"
                     "  assert(minCost({}, \")(\") == 2);\n  obj.minCost(1);\n  my_minCost(2);\n}\n";
  std::vector<std::string> calls = original_calls(code, "minCost", 10);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], "minCost(vector<int>{1, 2}, f(3))");
  EXPECT_EQ(calls[1], "minCost({}, \")(\")");
  EXPECT_EQ(original_calls(code, "minCost", 1).size(), 1u);
}

TEST(TestgenSourceTest, GeneratedChecksRunFirstInTheOriginalMain) {
  sandbox::Tests original;
  original.kind = sandbox::Tests::Kind::Assert;
  original.code = "bool compare(int a, int b) { return a == b; }\nint main(int argc, char* argv[]) {\n"
                  "    if (!(compare(f(1), 2))) throw runtime_error(\"x\");\n    return 0;\n}";
  Value two;
  two.i = 2;
  auto code = assemble_test_code({{"f(1)", two}, {"f(stepcoder_lvalue(3))", two}}, kInt, original);
  ASSERT_TRUE(code) << code.error();
  EXPECT_NE(code->find("    assert(f(1) == 2);\n    assert(f(stepcoder_lvalue(3)) == 2);\n"), std::string::npos);
  EXPECT_NE(code->find("int main(int argc, char* argv[]) {\n    stepcoder_generated_tests();"), std::string::npos)
      << *code;
  EXPECT_EQ(code->find("stepcoder_near"), std::string::npos);
  Value half;
  half.kind = TypeSpec::Kind::Float;
  half.f = 0.5;
  code = assemble_test_code({{"g(1)", half}}, kDouble, original);
  ASSERT_TRUE(code);
  EXPECT_NE(code->find("assert(stepcoder_near(g(1), 0.5));"), std::string::npos);
  original.code = "void run() {}";
  EXPECT_FALSE(assemble_test_code({{"f(1)", two}}, kInt, original));
}

TEST(TestgenSourceTest, PrinterProgramHasOneCasePerCall) {
  std::string src = printer_program("int f(int x) { return x; }", kInt, {"f(1)", "f(2)"});
  EXPECT_NE(src.find("case 1: stepcoder_print_0(o, f(2)); break;"), std::string::npos);
  EXPECT_NE(src.find("c < 2;"), std::string::npos);
  EXPECT_NE(src.find("template <class T> void stepcoder_print_0"), std::string::npos);
}

}  // namespace
}  // namespace stepcoder::tasks
