// The metrics log and its TensorBoard event file: the events are read back here with a decoder
// of our own (TFRecord framing with both CRCs checked, the Event and Summary fields), and a
// resumed run's event file holds each kept step once.
#include "run/metrics_log.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "run/tensorboard.h"
#include "util/files.h"

namespace stepcoder::run {
namespace {

struct Event {
  double wall_time = 0;
  int64_t step = 0;
  std::string version;
  std::map<std::string, float> scalars;
};

uint64_t read_varint(const std::string& s, size_t& at) {
  uint64_t v = 0;
  for (int shift = 0; at < s.size(); shift += 7) {
    const auto b = static_cast<unsigned char>(s[at++]);
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) break;
  }
  return v;
}

// Calls f(field, wire type, payload) for each field of a message; varints come as their value.
template <class F>
void fields(const std::string& m, F f) {
  for (size_t at = 0; at < m.size();) {
    const uint64_t key = read_varint(m, at);
    const int field = static_cast<int>(key >> 3), wire = static_cast<int>(key & 7);
    size_t n = wire == 1 ? 8 : wire == 5 ? 4 : 0;
    uint64_t value = 0;
    if (wire == 0) value = read_varint(m, at);
    if (wire == 2) n = read_varint(m, at);
    f(field, wire, m.substr(at, n), value);
    at += n;
  }
}

Event decode(const std::string& data) {
  Event e;
  fields(data, [&](int field, int, const std::string& p, uint64_t v) {
    if (field == 1) std::memcpy(&e.wall_time, p.data(), 8);
    if (field == 2) e.step = static_cast<int64_t>(v);
    if (field == 3) e.version = p;
    if (field != 5) return;
    fields(p, [&](int, int, const std::string& value, uint64_t) {
      std::string tag;
      float x = 0;
      fields(value, [&](int f, int, const std::string& q, uint64_t) {
        if (f == 1) tag = q;
        if (f == 2) std::memcpy(&x, q.data(), 4);
      });
      e.scalars[tag] = x;
    });
  });
  return e;
}

std::vector<Event> read_events(const std::string& path) {
  auto bytes = read_file(path);
  EXPECT_TRUE(bytes) << path;
  std::vector<Event> out;
  const std::string& s = *bytes;
  for (size_t at = 0; at + 12 <= s.size();) {
    uint64_t len = 0;
    uint32_t len_crc = 0, data_crc = 0;
    std::memcpy(&len, s.data() + at, 8), std::memcpy(&len_crc, s.data() + at + 8, 4);
    EXPECT_EQ(len_crc, masked_crc32c(s.data() + at, 8)) << "length CRC at byte " << at;
    const std::string data = s.substr(at + 12, len);
    std::memcpy(&data_crc, s.data() + at + 12 + len, 4);
    EXPECT_EQ(data_crc, masked_crc32c(data.data(), data.size())) << "data CRC at byte " << at;
    out.push_back(decode(data));
    at += 12 + len + 4;
  }
  return out;
}

TEST(TensorBoardTest, Crc32cIsCastagnolis) {
  EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);  // the standard check value
  EXPECT_EQ(crc32c("", 0), 0u);
}

TEST(TensorBoardTest, ScalarsAreTheLinesNumbersUnderKindWithoutTheStep) {
  const Scalars s = scalars_of(Json::parse(R"({"kind":"ppo","step":3,"reward":0.5,"note":"x","ok":true,
                                               "time":{"sample":1.5,"judge":{"busy":2}}})"));
  std::map<std::string, double> m(s.begin(), s.end());
  EXPECT_EQ(m, (std::map<std::string, double>{{"ppo/reward", 0.5}, {"ppo/ok", 1.0}, {"ppo/time/sample", 1.5},
                                              {"ppo/time/judge/busy", 2.0}}));
}

TEST(MetricsLogTest, EveryLineIsAlsoAnEventAndAResumedRunKeepsEachStepOnce) {
  auto dir = TempDir::create("metrics-log");
  ASSERT_TRUE(dir);
  const std::string path = dir->file("metrics.jsonl");
  {
    MetricsLog log;
    ASSERT_TRUE(log.open(path));
    for (int step = 1; step <= 4; ++step)
      ASSERT_TRUE(log.append({{"kind", "ppo"}, {"step", step}, {"reward", 0.25 * step}, {"time", {{"sample", 1.5}}}}));
  }
  auto files = event_files(dir->path());
  ASSERT_EQ(files.size(), 1u);
  auto events = read_events(files[0]);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].version, "brain.Event:2");
  EXPECT_GT(events[0].wall_time, 1.7e9);
  EXPECT_EQ(events[3].step, 3);
  EXPECT_FLOAT_EQ(events[3].scalars.at("ppo/reward"), 0.75f);
  EXPECT_FLOAT_EQ(events[3].scalars.at("ppo/time/sample"), 1.5f);
  EXPECT_EQ(events[3].scalars.count("ppo/step"), 0u);

  // --resume from step 2: steps 3 and 4 are dropped and logged again, each once.
  auto dropped = truncate_metrics(path, 2);
  ASSERT_TRUE(dropped) << dropped.error();
  EXPECT_EQ(*dropped, 2);
  MetricsLog again;
  ASSERT_TRUE(again.open(path));
  ASSERT_TRUE(again.append({{"kind", "ppo"}, {"step", 3}, {"reward", 9.0}}));
  files = event_files(dir->path());
  ASSERT_EQ(files.size(), 1u);
  events = read_events(files[0]);
  std::vector<int64_t> steps;
  for (size_t i = 1; i < events.size(); ++i) steps.push_back(events[i].step);
  EXPECT_EQ(steps, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_FLOAT_EQ(events.back().scalars.at("ppo/reward"), 9.0f);
}

TEST(MetricsLogTest, AnUnwritableDirectoryIsAnError) {
  MetricsLog log;
  Status st = log.open("/nonexistent-dir/metrics.jsonl");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("/nonexistent-dir/metrics.jsonl"), std::string::npos) << st.error();
  EXPECT_FALSE(log.append({{"kind", "ppo"}, {"step", 1}}));
}

}  // namespace
}  // namespace stepcoder::run
