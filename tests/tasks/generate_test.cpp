// The generated suite: determinism, the held-out design (no test combination occurs in train),
// style and test-count invariants, parameter coverage, and the exact code of one combination;
// the dispatch suite's split of tested and hidden parts.
#include "tasks/gen/generate.h"

#include <gtest/gtest.h>

#include <algorithm>
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

TEST(DispatchSuiteTest, ThePoolTestsOneOrTwoPartsAndHidesTheRest) {
  DispatchOptions o;
  o.sft = 30, o.pool = 40, o.valid = 5, o.test = 10;
  DispatchSuite s = generate_dispatch_suite(o);
  EXPECT_EQ(s.sft.size(), 30u);
  ASSERT_EQ(s.train.size(), 40u);
  EXPECT_EQ(s.test.size(), 10u);
  const std::regex call(R"(apply_op\(\{[^}]*\}, (-?\d+)\))");
  auto ops_called = [&](const Problem& p) {
    std::set<int> ops;
    for (std::sregex_iterator it(p.tests.code.begin(), p.tests.code.end(), call), end; it != end; ++it)
      ops.insert(std::stoi((*it)[1]));
    return ops;
  };
  auto parts_of = [](const Problem& p) {  // "If op is K" lines of the description
    int n = 0;
    for (size_t at = p.prompt.find("If op is "); at != std::string::npos; at = p.prompt.find("If op is ", at + 1)) ++n;
    return n;
  };
  std::map<std::string, std::vector<const Problem*>> hidden;
  for (const Problem& h : s.hidden) hidden[h.task_id.substr(0, h.task_id.rfind('/'))].push_back(&h);
  std::set<std::string> ids;
  for (const Problem& p : s.train) {
    SCOPED_TRACE(p.task_id);
    EXPECT_TRUE(ids.insert(p.task_id).second);
    const int parts = parts_of(p);
    EXPECT_EQ(parts, 4);
    const std::set<int> tested = ops_called(p);
    EXPECT_GE(tested.size(), 1u);
    EXPECT_LE(tested.size(), 2u);
    for (int op : tested) EXPECT_TRUE(op >= 0 && op < parts) << "the pool never tests the guard";
    // Every other part, and the guard, is hidden: the same prompt and solution, its own tests.
    const std::string key = "dispatch/hidden_" + p.task_id.substr(p.task_id.find('_') + 1);
    ASSERT_EQ(hidden[key].size(), static_cast<size_t>(parts + 1) - tested.size());
    std::set<int> covered = tested;
    for (const Problem* h : hidden[key]) {
      EXPECT_EQ(h->prompt, p.prompt);
      EXPECT_EQ(h->canonical_solution, p.canonical_solution);
      const std::set<int> ops = ops_called(*h);
      if (h->task_id.size() > 6 && h->task_id.substr(h->task_id.size() - 6) == "/guard") {
        for (int op : ops) EXPECT_TRUE(op < 0 || op >= parts);
      } else {
        ASSERT_EQ(ops.size(), 1u);
        EXPECT_TRUE(covered.insert(*ops.begin()).second);
      }
    }
    EXPECT_EQ(covered.size(), static_cast<size_t>(parts));
  }
  for (const Problem& p : s.test) EXPECT_EQ(ops_called(p).size(), static_cast<size_t>(parts_of(p)) + 3) << p.task_id;
  // Deterministic for a seed.
  EXPECT_EQ(problems_to_jsonl(generate_dispatch_suite(o).train), problems_to_jsonl(s.train));
}

TEST(RecordsSuiteTest, ReferencesAreLongWithManyControlStatements) {
  RecordsOptions o;
  o.sft = 200, o.pool = 20, o.valid = 5, o.test = 10;
  RecordsSuite s = generate_records_suite(o);
  ASSERT_EQ(s.sft.size(), 200u);
  EXPECT_EQ(s.train.size(), 20u);
  std::set<std::string> ids, bodies;
  int shortest = 1000, longest = 0;
  for (const auto* split : {&s.sft, &s.train, &s.valid, &s.test}) {
    for (const Problem& p : *split) {
      EXPECT_TRUE(ids.insert(p.task_id).second) << p.task_id;
      bodies.insert(p.canonical_solution);
      const std::string& c = p.canonical_solution;
      const int lines = static_cast<int>(std::count(c.begin(), c.end(), '\n'));
      int control = 0;
      for (const char* kw : {"for (", "if ("})
        for (size_t at = c.find(kw); at != std::string::npos; at = c.find(kw, at + 1)) ++control;
      shortest = std::min(shortest, lines), longest = std::max(longest, lines);
      EXPECT_GE(control, 4) << p.task_id << "\n" << c;
      EXPECT_EQ(p.tests.kind, sandbox::Tests::Kind::Io);
      EXPECT_GE(p.tests.cases.size(), 7u);
      EXPECT_EQ(p.tests.cases[0].output.value_or(""), c.find("kept++") == std::string::npos ? "NONE\n" : "NONE\n0\n");
    }
  }
  EXPECT_GE(shortest, 22) << "the prompt's `int main() {` plus 22 lines is still a long program";
  EXPECT_LE(longest, 40);
  EXPECT_GT(bodies.size(), 150u) << "the stages combine into many distinct programs";
  EXPECT_EQ(problems_to_jsonl(generate_records_suite(o).test), problems_to_jsonl(s.test));
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
