// Problem statistics: medians, check counting, per-family counts.
#include "tasks/stats.h"

#include <gtest/gtest.h>

namespace stepcoder::tasks {
namespace {

TEST(StatsTest, MedianOfOddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(summarize({5, 1, 3}).median, 3.0);
  EXPECT_DOUBLE_EQ(summarize({4, 1, 3, 2}).median, 2.5);
  EXPECT_EQ(summarize({}).count, 0);
  Summary s = summarize({2, 9, 4});
  EXPECT_EQ(s.min, 2);
  EXPECT_EQ(s.max, 9);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
}

TEST(StatsTest, CountsChecksOfEachStyle) {
  EXPECT_EQ(count_checks("int main(){ assert(f(1)==2); assert (f(2) == 3); static_assert(true); }"), 2);
  EXPECT_EQ(count_checks("if (!(compare(x0, 8))) { throw runtime_error(\"x\"); }"), 1);
}

TEST(StatsTest, PerFamilyAndLengths) {
  Problem a;
  a.family = "f";
  a.split = "train";
  a.canonical_solution = "    int x = 1;\n\n    return x;\n}\n";
  a.tests.kind = sandbox::Tests::Kind::Io;
  a.tests.cases = {{"1", std::string("1")}, {"2", std::string("2")}};
  Problem b = a;
  b.family = "g";
  b.canonical_solution = "";
  ProblemStats s = compute_stats({a, b});
  EXPECT_EQ(s.problems, 2);
  EXPECT_EQ(s.per_family["f"], 1);
  EXPECT_EQ(s.without_solution, 1);
  EXPECT_DOUBLE_EQ(s.solution_lines.median, 3.0);   // blank line not counted
  EXPECT_DOUBLE_EQ(s.solution_tokens.median, 7.0);  // int x = 1; return x; }
  EXPECT_DOUBLE_EQ(s.tests.median, 2.0);
  Json j = stats_to_json(s);
  EXPECT_EQ(j["per_split"]["train"], 2);
}

}  // namespace
}  // namespace stepcoder::tasks
