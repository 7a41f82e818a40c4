// The generated suite: determinism, the held-out design (no test combination occurs in train),
// style and test-count invariants, parameter coverage, and the exact code of one combination.
#include "tasks/gen/generate.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tasks/gen/internal.h"
#include "tasks/problem_io.h"
#include "tasks/stats.h"
#include "util/files.h"

namespace stepcoder::tasks {
namespace {

const Suite& suite() {
  static const Suite s = [] {
    GenerateOptions opts;
    opts.seed = 1;
    return generate_suite(opts);
  }();
  return s;
}

std::string name_of(const Problem& p) { return p.task_id.substr(p.task_id.find('/') + 1); }

// The task's shape with parameters blanked: digits -> '#', single letters -> '@'.
std::string shape(const Problem& p) {
  std::stringstream in(name_of(p));
  std::string part, out;
  while (std::getline(in, part, '_')) {
    bool digits = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    if (digits) part = "#";
    if (part.size() == 1 && std::islower(static_cast<unsigned char>(part[0]))) part = "@";
    out += (out.empty() ? "" : "_") + part;
  }
  return p.family + "/" + out;
}

TEST(GenerateTest, SameSeedSameSuiteOtherSeedDiffers) {
  GenerateOptions opts;
  opts.seed = 1;
  Suite again = generate_suite(opts);
  EXPECT_EQ(problems_to_jsonl(again.train), problems_to_jsonl(suite().train));
  EXPECT_EQ(problems_to_jsonl(again.test), problems_to_jsonl(suite().test));
  opts.seed = 2;
  Suite other = generate_suite(opts);
  EXPECT_NE(problems_to_jsonl(other.train), problems_to_jsonl(suite().train));
}

TEST(GenerateTest, SizesFamiliesAndKinds) {
  const Suite& s = suite();
  EXPECT_GE(s.train.size(), 2000u);
  EXPECT_GE(s.valid.size(), 100u);
  EXPECT_GE(s.test.size(), 400u);
  std::vector<Problem> all = s.train;
  all.insert(all.end(), s.test.begin(), s.test.end());
  ProblemStats st = compute_stats(all);
  EXPECT_GE(st.per_family.size(), 20u);
  EXPECT_GT(st.stdin_stdout, 300);
  EXPECT_GT(st.function_level, 1500);
  // Every held-out kind is present, in roughly its planned share.
  for (const HoldoutShare& h : holdout_shares()) {
    double share = 100.0 * st.per_holdout[h.kind] / static_cast<double>(s.test.size());
    EXPECT_NEAR(share, h.percent, 5.0) << h.kind;
  }
}

TEST(GenerateTest, NoTestCombinationOccursInTrainOrValid) {
  const Suite& s = suite();
  std::set<std::string> seen_ids, seen_shapes;
  for (const auto* split : {&s.train, &s.valid}) {
    for (const Problem& p : *split) {
      EXPECT_TRUE(seen_ids.insert(p.task_id).second) << "duplicate " << p.task_id;
      seen_shapes.insert(shape(p));
    }
  }
  for (const Problem& p : s.test) {
    EXPECT_FALSE(seen_ids.count(p.task_id)) << p.task_id;
    EXPECT_FALSE(seen_shapes.count(shape(p))) << p.task_id << " has the shape " << shape(p)
                                              << " of a training problem";
    EXPECT_FALSE(p.holdout.empty()) << p.task_id;
  }
  // Cross-setting predicates are seen in train only over a[i].
  std::regex cross("(^|_)(at_least|not_divisible_by|ending_in)_");
  for (const Problem& p : s.train) {
    if (p.family.rfind("array_", 0) == 0) continue;
    EXPECT_FALSE(std::regex_search(name_of(p), cross)) << p.task_id;
  }
}

TEST(GenerateTest, ParametersAppearAcrossManyOperations) {
  // Copying a value from the description is learnable only if every value is seen in many
  // operations: each digit 0-9 and each letter a-z as a literal in >= 3 training families.
  std::map<std::string, std::set<std::string>> families_of;
  std::regex lit("_(char|not_char|after|between|and)_([a-z])($|_)");
  for (const Problem& p : suite().train) {
    std::string name = name_of(p);
    for (std::sregex_iterator it(name.begin(), name.end(), lit), end; it != end; ++it) {
      families_of[(*it)[2].str()].insert(p.family);
    }
    for (char c : name) {
      if (std::isdigit(static_cast<unsigned char>(c))) families_of[std::string(1, c)].insert(p.family);
    }
  }
  for (char c = 'a'; c <= 'z'; ++c) EXPECT_GE(families_of[std::string(1, c)].size(), 3u) << c;
  for (char c = '0'; c <= '9'; ++c) EXPECT_GE(families_of[std::string(1, c)].size(), 10u) << c;
}

TEST(GenerateTest, StyleAndTestInvariants) {
  std::vector<Problem> all = suite().train;
  all.insert(all.end(), suite().test.begin(), suite().test.end());
  for (const Problem& p : all) {
    SCOPED_TRACE(p.task_id);
    EXPECT_EQ(p.prompt.rfind("#include <bits/stdc++.h>\nusing namespace std;\n", 0), 0u);
    ASSERT_GE(p.prompt.size(), 4u);
    EXPECT_EQ(p.prompt.substr(p.prompt.size() - 4), ") {\n");
    EXPECT_EQ(p.canonical_solution.substr(p.canonical_solution.size() - 2), "}\n");
    std::stringstream lines(p.canonical_solution);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
      ++n;
      size_t indent = line.find_first_not_of(' ');
      EXPECT_EQ(indent % 4, 0u) << line;
      EXPECT_EQ(line.find('\t'), std::string::npos);
    }
    EXPECT_GE(n, 3);
    EXPECT_LE(n, 16);
    int tests = p.tests.kind == sandbox::Tests::Kind::Io ? static_cast<int>(p.tests.cases.size())
                                                         : count_checks(p.tests.code);
    EXPECT_GE(tests, 5);
    if (p.tests.kind == sandbox::Tests::Kind::Assert) {
      EXPECT_NE(p.prompt.find(" " + p.entry_point + "("), std::string::npos);
    }
  }
}

TEST(GenerateTest, OneCombinationExactly) {
  gen::Combo c{"array", "sum", make_pred("divisible", {3}), '*'};
  Rng rng(5);
  Problem p = gen::build_combo(c, rng);
  EXPECT_EQ(p.task_id, "array_sum/sum_divisible_by_3");
  EXPECT_EQ(p.entry_point, "sum_divisible_by_3");
  EXPECT_NE(p.prompt.find("int sum_divisible_by_3(vector<int> a) {\n"), std::string::npos);
  EXPECT_EQ(p.canonical_solution,
            "    int total = 0;\n"
            "    for (int i = 0; i < (int)a.size(); i++) {\n"
            "        if (a[i] % 3 == 0) {\n"
            "            total += a[i];\n"
            "        }\n"
            "    }\n"
            "    return total;\n"
            "}\n");
  EXPECT_NE(p.tests.code.find("assert(sum_divisible_by_3({}) == 0);"), std::string::npos);
  // Expected values follow C++ semantics: -3 % 3 == 0 counts.
  gen::Combo io{"io", "count", make_pred("divisible", {3}), '*'};
  Problem q = gen::build_combo(io, rng);
  for (const auto& tc : q.tests.cases) {
    std::stringstream in(tc.input);
    int n = 0, x = 0, count = 0;
    in >> n;
    for (int i = 0; i < n && in >> x; ++i) count += x % 3 == 0;
    EXPECT_EQ(tc.output.value_or(""), std::to_string(count) + "\n") << tc.input;
  }
}

TEST(GenerateTest, ShippedSuiteMatchesSeedOne) {
  std::string dir = STEPCODER_SOURCE_DIR "/examples/suite";
  if (!file_exists(dir + "/train.jsonl")) GTEST_SKIP() << "no shipped suite at " << dir;
  auto train = read_file(dir + "/train.jsonl");
  auto test = read_file(dir + "/test.jsonl");
  ASSERT_TRUE(train && test);
  EXPECT_EQ(*train, problems_to_jsonl(suite().train))
      << "examples/suite is stale: regenerate with `stepcoder tasks generate --seed 1 -o examples/suite`";
  EXPECT_EQ(*test, problems_to_jsonl(suite().test));
}

}  // namespace
}  // namespace stepcoder::tasks
