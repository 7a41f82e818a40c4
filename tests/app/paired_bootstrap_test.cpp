// The two-way bootstrap of multi-seed ablations: degenerate data give degenerate intervals,
// seeds are resampled as well as problems (a seed-to-seed spread widens the interval), more
// problems narrow it, pairing cancels what two arms share, and bad shapes are errors.
#include "report/paired_bootstrap.h"

#include <gtest/gtest.h>

#include <cmath>

namespace stepcoder::report {
namespace {

Scores pattern(int seeds, int problems, int period) {  // 1 on every period-th problem
  Scores x(static_cast<size_t>(seeds), std::vector<double>(static_cast<size_t>(problems), 0.0));
  for (auto& row : x)
    for (int p = 0; p < problems; p += period) row[static_cast<size_t>(p)] = 1.0;
  return x;
}

TEST(PairedBootstrapTest, ConstantScoresGiveAPointInterval) {
  auto m = bootstrap_mean(Scores(3, std::vector<double>(7, 1.0)));
  ASSERT_TRUE(m) << m.error();
  EXPECT_DOUBLE_EQ(m->mean, 1.0);
  EXPECT_DOUBLE_EQ(m->low, 1.0);
  EXPECT_DOUBLE_EQ(m->high, 1.0);
  EXPECT_EQ(m->seeds, 3);
  EXPECT_EQ(m->problems, 7);
}

TEST(PairedBootstrapTest, MoreProblemsNarrowTheInterval) {
  auto few = bootstrap_mean(pattern(2, 20, 4)), many = bootstrap_mean(pattern(2, 2000, 4));
  ASSERT_TRUE(few && many);
  EXPECT_NEAR(few->mean, 0.25, 1e-12);
  EXPECT_NEAR(many->mean, 0.25, 1e-12);
  EXPECT_LE(few->low, few->mean);
  EXPECT_GE(few->high, few->mean);
  EXPECT_GT(few->high - few->low, 3 * (many->high - many->low));
  EXPECT_NEAR(many->low, 0.25 - 1.96 * std::sqrt(0.25 * 0.75 / 2000), 0.01);  // close to the normal interval
}

TEST(PairedBootstrapTest, SeedsAreResampledToo) {
  // Seed 1 passes everything and seed 2 nothing: over problems alone the interval would be the
  // point 0.5; the seeds' spread must show.
  Scores x = {std::vector<double>(50, 1.0), std::vector<double>(50, 0.0)};
  auto m = bootstrap_mean(x);
  ASSERT_TRUE(m);
  EXPECT_DOUBLE_EQ(m->mean, 0.5);
  EXPECT_DOUBLE_EQ(m->low, 0.0);
  EXPECT_DOUBLE_EQ(m->high, 1.0);
}

TEST(PairedBootstrapTest, PairingCancelsWhatTheArmsShare) {
  Scores base = pattern(3, 40, 2), arm = base;
  for (auto& row : arm) row[1] = 1.0;  // one more problem solved at every seed
  auto d = bootstrap_difference(arm, base);
  ASSERT_TRUE(d) << d.error();
  EXPECT_NEAR(d->mean, 1.0 / 40, 1e-12);
  EXPECT_GE(d->low, 0.0);  // never below: no pair got worse
  auto same = bootstrap_difference(base, base);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->low, 0.0);
  EXPECT_EQ(same->high, 0.0);
  // The same seeds give the same interval.
  auto again = bootstrap_difference(arm, base);
  EXPECT_EQ(again->low, d->low);
  EXPECT_EQ(again->high, d->high);
}

TEST(PairedBootstrapTest, BadShapesAreErrors) {
  EXPECT_FALSE(bootstrap_mean({}));
  EXPECT_FALSE(bootstrap_mean({{}}));
  auto ragged = bootstrap_mean({{1, 0}, {1}});
  ASSERT_FALSE(ragged);
  EXPECT_NE(ragged.error().find("seed 2 has 1 problems"), std::string::npos) << ragged.error();
  auto unpaired = bootstrap_difference(pattern(2, 5, 2), pattern(3, 5, 2));
  ASSERT_FALSE(unpaired);
  EXPECT_NE(unpaired.error().find("not paired"), std::string::npos) << unpaired.error();
}

}  // namespace
}  // namespace stepcoder::report
