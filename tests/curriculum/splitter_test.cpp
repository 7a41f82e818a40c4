// CCCS splitter: split points and stage counts on hand-written solutions (if/for/while,
// nested loops, lambdas, else-if chains, one-liners), caps, and problems kept whole.
#include <gtest/gtest.h>

#include "curriculum/splitter.h"
#include "util/files.h"

namespace stepcoder::curriculum {
namespace {

const char* kHead = "#include <bits/stdc++.h>\nusing namespace std;\nint f(vector<int> a, int x, int n) {\n";

tasks::Problem fn(const std::string& body, const std::string& head = kHead) {
  tasks::Problem p;
  p.task_id = "hand/0";
  p.prompt = head;
  p.canonical_solution = body;
  return p;
}

int stages(const tasks::Problem& p, const std::string& kind) {
  auto pts = find_split_points(p, kind);
  EXPECT_TRUE(pts.ok()) << (pts.ok() ? "" : pts.error());
  return pts.ok() ? static_cast<int>(pts->size()) + 1 : -1;
}

const char* kLoops =
    "    int s = 0;\n"
    "    for (int v : a) {\n"
    "        if (v > 0) s += v;\n"
    "    }\n"
    "\n"
    "    while (s > 100) s -= 100;\n"
    "    return s;\n"
    "}\n";

TEST(Splitter, IfForWhile) {
  EXPECT_EQ(stages(fn(kLoops), "control"), 4);    // for, if, while
  EXPECT_EQ(stages(fn(kLoops), "statement"), 5);  // for, if (in the for's block), while, return
  EXPECT_EQ(stages(fn(kLoops), "line"), 7);       // every non-blank line after the first
}

TEST(Splitter, PointsFollowTheIndentationOfLinesInsideTheSolution) {
  // The prefix keeps a line's newline and indentation together, as the tokenizer does.
  const std::string sol = kLoops;
  for (const char* kind : {"control", "line"}) {
    auto pts = find_split_points(fn(kLoops), kind);
    ASSERT_TRUE(pts.ok()) << pts.error();
    for (size_t pt : *pts) {
      const size_t line = sol.rfind('\n', pt - 1) + 1;
      EXPECT_EQ(sol.find_first_not_of(' ', line), pt) << kind << " " << pt;
      EXPECT_GT(line, 0u) << kind;
    }
  }
  auto pts = find_split_points(fn(kLoops), "control");
  ASSERT_TRUE(pts.ok()) << pts.error();
  ASSERT_EQ(pts->size(), 3u);
  EXPECT_EQ(sol.substr((*pts)[0] - 5, 9), "\n    for ");
  EXPECT_EQ(sol.substr((*pts)[1] - 9, 12), "\n        if ");
  EXPECT_EQ(sol.substr((*pts)[2] - 5, 11), "\n    while ");
}

TEST(Splitter, NestedLoops) {
  const char* body =
      "    int c = 0;\n"
      "    for (int i = 0; i < n; i++)\n"
      "        for (int j = 0; j < i; j++)\n"
      "            do { c++; } while (false);\n"
      "    return c;\n"
      "}\n";
  EXPECT_EQ(stages(fn(body), "control"), 4);
  // The inner loops are not in a { } block; `c++` is, but it shares the do's line.
  EXPECT_EQ(stages(fn(body), "statement"), 4);
}

TEST(Splitter, Lambdas) {
  const char* body =
      "    auto pos = [](int v) {\n"
      "        if (v > 0) return true;\n"
      "        return false;\n"
      "    };\n"
      "    int c = 0;\n"
      "    for (int v : a) if (pos(v)) c++;\n"
      "    return c;\n"
      "}\n";
  EXPECT_EQ(stages(fn(body), "control"), 3);  // the lambda's if; the for and its if share a line
}

TEST(Splitter, ElseIfChainIsOnePoint) {
  const char* body =
      "    int y = x * 2;\n"
      "    if (y < 0) {\n"
      "        return -1;\n"
      "    } else if (y == 0) {\n"
      "        return 0;\n"
      "    } else if (y < 10) {\n"
      "        while (y > 3) y--;\n"
      "        return y;\n"
      "    } else {\n"
      "        return 1;\n"
      "    }\n"
      "}\n";
  EXPECT_EQ(stages(fn(body), "control"), 3);  // the chain's first if, the while inside it
}

TEST(Splitter, OneLiners) {
  EXPECT_EQ(stages(fn("    return x + n;\n}\n"), "control"), 1);
  EXPECT_EQ(stages(fn("    return x + n;\n}\n"), "statement"), 1);  // the return opens the solution
  EXPECT_EQ(stages(fn("    return x + n;\n}\n"), "line"), 2);       // the closing brace
  // Solution on the prompt's last line: no line of it starts inside the solution.
  tasks::Problem same_line = fn(" for (int i = 0; i < n; i++) x++; return x; }\n",
                                "#include <bits/stdc++.h>\nint f(int x, int n) {");
  EXPECT_EQ(stages(same_line, "control"), 1);
}

TEST(Splitter, FirstStatementIsNotAPoint) {
  // A cut before the first line would give the whole program again.
  EXPECT_EQ(stages(fn("    for (int v : a) x += v;\n    return x;\n}\n"), "control"), 1);
}

TEST(Splitter, StagesCountFromTheEnd) {
  ProblemSplit s;
  s.points = {10, 20, 30};
  ASSERT_EQ(s.stages(), 4);
  EXPECT_EQ(s.prefix_bytes(1), 30u);  // complete only the last part
  EXPECT_EQ(s.prefix_bytes(3), 10u);
  EXPECT_EQ(s.prefix_bytes(4), 0u);   // the whole program
  EXPECT_EQ(cap_points({10, 20, 30}, 3), (std::vector<size_t>{20, 30}));
  EXPECT_EQ(cap_points({10, 20, 30}, 1), (std::vector<size_t>{}));
  EXPECT_EQ(cap_points({10, 20, 30}, 0), (std::vector<size_t>{10, 20, 30}));
  EXPECT_EQ(cap_points({10, 20, 30}, 4), (std::vector<size_t>{10, 20, 30}));
}

TEST(Splitter, UnparsableAndMissingSolutionsStayWhole) {
  std::vector<tasks::Problem> ps = {fn(kLoops), fn("    return undeclared_thing;\n}\n"), fn("")};
  ps[1].task_id = "hand/bad", ps[2].task_id = "hand/none";
  SplitOptions so;
  so.max_stages = 3;
  SplitResult r = split_problems(ps, so);
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_EQ(r.problems[0].stages(), 3);  // capped
  EXPECT_EQ(r.problems[1].stages(), 1);
  EXPECT_NE(r.problems[1].error.find("undeclared_thing"), std::string::npos) << r.problems[1].error;
  EXPECT_EQ(r.split, 1);
  EXPECT_EQ(r.parse_errors, 1);
  EXPECT_EQ(r.no_solution, 1);
  EXPECT_EQ(r.unsplit_ids, (std::vector<std::string>{"hand/bad", "hand/none"}));
  EXPECT_NE(r.summary().find("hand/bad"), std::string::npos);
  EXPECT_FALSE(find_split_points(ps[0], "words").ok());
}

TEST(Splitter, CachedSplitsAreTheSameAndTheCapIsAppliedAfterReading) {
  auto dir = TempDir::create("split-cache-test");
  ASSERT_TRUE(dir.ok());
  std::vector<tasks::Problem> ps = {fn(kLoops), fn("    return undeclared_thing;\n}\n")};
  SplitOptions so;
  so.kind = "statement", so.cache_dir = dir->path() + "/splits";
  SplitResult first = split_problems(ps, so);
  EXPECT_FALSE(first.cached);
  SplitResult second = split_problems(ps, so);
  EXPECT_TRUE(second.cached);
  ASSERT_EQ(second.problems.size(), 2u);
  EXPECT_EQ(second.problems[0].points, first.problems[0].points);
  EXPECT_EQ(second.problems[1].error, first.problems[1].error);
  EXPECT_EQ(second.parse_errors, 1);
  so.max_stages = 2;
  SplitResult capped = split_problems(ps, so);
  EXPECT_TRUE(capped.cached);
  EXPECT_EQ(capped.problems[0].points, (std::vector<size_t>{first.problems[0].points.back()}));
  ps[0].canonical_solution += "\n";  // another text: another cache file
  EXPECT_FALSE(split_problems(ps, so).cached);
}

}  // namespace
}  // namespace stepcoder::curriculum
