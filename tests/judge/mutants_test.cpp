// The mutation operators themselves.
#include "tests/judge/mutants.h"

#include <gtest/gtest.h>

namespace stepcoder::testing_support {
namespace {

TEST(MutantsTest, FlipsTheFirstApplicableOperator) {
  auto m = mutate("    if (a == b) return true;\n    return false;\n}");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->text, "    if (a == b) return false;\n    return false;\n}");
  auto c = mutate("    for (int i=0;i<n;i++) s+=v[i];\n");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->text, "    for (int i=0;i<=n;i++) s+=v[i];\n");
}

TEST(MutantsTest, LeavesStreamsAndArrowsAlone) {
  EXPECT_FALSE(mutate("    cout << x; cin >> y; p->z;\n"));
}

}  // namespace
}  // namespace stepcoder::testing_support
