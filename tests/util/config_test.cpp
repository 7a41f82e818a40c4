// ConfigSchema: defaults, overrides, and errors that name file, line and key.
#include "util/config.h"

#include <gtest/gtest.h>

namespace stepcoder {
namespace {

struct Cfg {
  int layers = 6;
  int64_t steps = 1000;
  double lr = 2e-3;
  bool fgo = true;
  std::string device = "cpu";
  std::vector<std::string> families;
  std::vector<double> temps{0.8};
};

ConfigSchema schema_for(Cfg& c) {
  ConfigSchema s;
  s.add("model.layers", &c.layers, "transformer blocks").range(1, 64);
  s.add("train.steps", &c.steps, "PPO steps").range(0, 1e9);
  s.add("train.lr", &c.lr, "learning rate").range(0, 1);
  s.add("train.fgo", &c.fgo, "fine-grained optimization");
  s.add("model.device", &c.device, "torch device").choices({"cpu", "cuda"});
  s.add("tasks.families", &c.families, "families to use");
  s.add("eval.temperatures", &c.temps, "sampling temperatures").range(0, 5);
  return s;
}

TEST(ConfigTest, DefaultsStayWhenKeysAreAbsent) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  ASSERT_TRUE(s.load_text("model:\n  layers: 4\n", "a.yaml"));
  EXPECT_EQ(c.layers, 4);
  EXPECT_EQ(c.steps, 1000);
  EXPECT_DOUBLE_EQ(c.lr, 2e-3);
}

TEST(ConfigTest, ParsesEveryType) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  Status st = s.load_text(
      "model: {layers: 2, device: cuda}\ntrain: {steps: 5, lr: 0.1, fgo: false}\n"
      "tasks: {families: [sum, gcd]}\neval: {temperatures: [0.2, 1.0]}\n",
      "a.yaml");
  ASSERT_TRUE(st) << st.error();
  EXPECT_EQ(c.layers, 2);
  EXPECT_EQ(c.device, "cuda");
  EXPECT_EQ(c.steps, 5);
  EXPECT_FALSE(c.fgo);
  EXPECT_EQ(c.families, (std::vector<std::string>{"sum", "gcd"}));
  EXPECT_EQ(c.temps, (std::vector<double>{0.2, 1.0}));
}

TEST(ConfigTest, UnknownKeyNamesFileLineAndSuggestion) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  Status st = s.load_text("model:\n  layers: 4\n  layer: 3\n", "run.yaml");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("run.yaml:3:"), std::string::npos) << st.error();
  EXPECT_NE(st.error().find("unknown key 'model.layer'"), std::string::npos) << st.error();
  EXPECT_NE(st.error().find("did you mean 'model.layers'"), std::string::npos) << st.error();
}

TEST(ConfigTest, WrongTypeIsRejected) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  Status st = s.load_text("train:\n  steps: many\n", "run.yaml");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("run.yaml:2:10: train.steps: expected an integer"), std::string::npos)
      << st.error();
  EXPECT_EQ(c.steps, 1000);
}

TEST(ConfigTest, OutOfRangeIsRejected) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  Status st = s.load_text("model:\n  layers: 0\n", "run.yaml");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("below the minimum 1"), std::string::npos) << st.error();
  st = s.load_text("model:\n  layers: 99999999999\n", "run.yaml");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("32-bit"), std::string::npos) << st.error();
}

TEST(ConfigTest, ChoicesAreEnforced) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  Status st = s.load_text("model:\n  device: tpu\n", "run.yaml");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("'tpu' is not one of: cpu, cuda"), std::string::npos) << st.error();
}

TEST(ConfigTest, ScalarWhereSectionExpected) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  Status st = s.load_text("model: 3\n", "run.yaml");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("model: expected a mapping"), std::string::npos) << st.error();
}

TEST(ConfigTest, SyntaxErrorHasLine) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  Status st = s.load_text("model:\n  layers: [1, 2\n", "run.yaml");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("run.yaml:"), std::string::npos);
  EXPECT_NE(st.error().find("YAML syntax error"), std::string::npos) << st.error();
}

TEST(ConfigTest, SetOverridesAndDumpRoundTrips) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  ASSERT_TRUE(s.set("train.lr=0.5"));
  EXPECT_DOUBLE_EQ(c.lr, 0.5);
  EXPECT_FALSE(s.set("train.lr"));
  std::string dumped = s.dump_yaml();
  Cfg c2;
  ConfigSchema s2 = schema_for(c2);
  Status st = s2.load_text(dumped, "dump");
  ASSERT_TRUE(st) << st.error() << "\n" << dumped;
  EXPECT_DOUBLE_EQ(c2.lr, 0.5);
  EXPECT_EQ(c2.layers, c.layers);
  EXPECT_EQ(c2.device, c.device);
}

TEST(ConfigTest, ReferenceListsEveryKeyWithDefault) {
  Cfg c;
  ConfigSchema s = schema_for(c);
  std::string md = s.reference_markdown();
  EXPECT_NE(md.find("| `model.layers` | integer in [1, 64] | `6` | transformer blocks |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("`train.fgo`"), std::string::npos);
}

}  // namespace
}  // namespace stepcoder
