// TensorBoard event files, so `tensorboard --logdir runs/` shows a run beside its
// metrics.jsonl. The format is TFRecord: each record is a little-endian uint64 length, the
// masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data. Each data is
// an `Event` protocol buffer; the first one carries the file version, the others a `Summary` of
// scalars at a step. The few fields needed are encoded here directly.
//
//   auto w = EventWriter::create("runs/quickstart");   // runs/quickstart/events.out.tfevents.<time>.stepcoder
//   if (!w) die(w.error());
//   Status st = w->write(/*step=*/3, {{"ppo/reward", 0.25}, {"ppo/kl", 0.01}});
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "util/expected.h"
#include "util/jsonl.h"

namespace stepcoder::run {

using Scalars = std::vector<std::pair<std::string, double>>;

class EventWriter {
 public:
  // A new event file in `dir`, its version record written and flushed.
  static Expected<EventWriter> create(const std::string& dir);
  // One event: the scalars at `step`, flushed so a killed run keeps it.
  Status write(int64_t step, const Scalars& scalars);
  const std::string& path() const { return path_; }

 private:
  EventWriter(std::string path, std::FILE* f);
  Status write_record(const std::string& data);
  std::string path_;
  std::shared_ptr<std::FILE> f_;
};

// Every number of a metrics line as a tag "KIND/key", nested objects joined with '/'
// ({"kind": "ppo", "time": {"sample": 1.5}} -> "ppo/time/sample"). "step" and strings are left out.
Scalars scalars_of(const Json& line);

// The event files a run directory holds (events.out.tfevents.*.stepcoder).
std::vector<std::string> event_files(const std::string& dir);

uint32_t crc32c(const void* data, size_t n);
uint32_t masked_crc32c(const void* data, size_t n);  // TFRecord's: rotated right 15, plus a constant

}  // namespace stepcoder::run
