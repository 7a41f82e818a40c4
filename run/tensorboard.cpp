// TensorBoard event files (see tensorboard.h): TFRecord framing and the Event protocol buffer.
#include "run/tensorboard.h"

#include <dirent.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>

#include "run/metrics_keys.h"

namespace stepcoder::run {

namespace {

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), one table.
const std::array<uint32_t, 256>& crc_table() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

// Protocol buffer wire format: varints, and fields as (number << 3 | wire type).
void varint(std::string& out, uint64_t v) {
  while (v >= 0x80) out += static_cast<char>((v & 0x7F) | 0x80), v >>= 7;
  out += static_cast<char>(v);
}
void fixed(std::string& out, const void* v, size_t n) { out.append(static_cast<const char*>(v), n); }  // little-endian host
void bytes_field(std::string& out, int field, const std::string& s) {
  varint(out, static_cast<uint64_t>(field) << 3 | 2);
  varint(out, s.size());
  out += s;
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
std::string event(int64_t step, const std::string* version, const Scalars* scalars) {
  std::string e;
  const double wall = now_seconds();
  varint(e, 1 << 3 | 1), fixed(e, &wall, 8);
  varint(e, 2 << 3 | 0), varint(e, static_cast<uint64_t>(step));
  if (version) bytes_field(e, 3, *version);
  if (scalars) {
    std::string summary;  // Summary { repeated Value value = 1; }, Value { string tag = 1; float simple_value = 2; }
    for (const auto& [tag, v] : *scalars) {
      std::string value;
      bytes_field(value, 1, tag);
      const float f = static_cast<float>(v);
      varint(value, 2 << 3 | 5), fixed(value, &f, 4);
      bytes_field(summary, 1, value);
    }
    bytes_field(e, 5, summary);
  }
  return e;
}

// `top`: the line itself, whose "step" is the event's step rather than a scalar.
void flatten(const std::string& prefix, const Json& j, Scalars& out, bool top = true) {
  for (const auto& [name, v] : j.items()) {
    if (top && name == key::kStep) continue;
    const std::string tag = prefix + "/" + name;
    if (v.is_number()) out.emplace_back(tag, v.get<double>());
    else if (v.is_boolean()) out.emplace_back(tag, v.get<bool>() ? 1.0 : 0.0);
    else if (v.is_object()) flatten(tag, v, out, false);
  }
}

}  // namespace

uint32_t crc32c(const void* data, size_t n) {
  const auto& t = crc_table();
  uint32_t c = 0xFFFFFFFFu;
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) c = t[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint32_t masked_crc32c(const void* data, size_t n) {
  const uint32_t c = crc32c(data, n);
  return ((c >> 15) | (c << 17)) + 0xA282EAD8u;
}

EventWriter::EventWriter(std::string path, std::FILE* f) : path_(std::move(path)), f_(f, std::fclose) {}

Expected<EventWriter> EventWriter::create(const std::string& dir) {
  const std::string path = dir + "/events.out.tfevents." + std::to_string(static_cast<int64_t>(now_seconds())) + "." +
                           std::to_string(::getpid()) + ".stepcoder";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return SysError("opening " + path);
  EventWriter w(path, f);
  const std::string version = "brain.Event:2";
  if (Status st = w.write_record(event(0, &version, nullptr)); !st) return Error(st.error());
  return w;
}

Status EventWriter::write(int64_t step, const Scalars& scalars) { return write_record(event(step, nullptr, &scalars)); }

Status EventWriter::write_record(const std::string& data) {
  const uint64_t len = data.size();
  const uint32_t len_crc = masked_crc32c(&len, 8), data_crc = masked_crc32c(data.data(), data.size());
  std::string rec;
  fixed(rec, &len, 8), fixed(rec, &len_crc, 4), rec += data, fixed(rec, &data_crc, 4);
  if (std::fwrite(rec.data(), 1, rec.size(), f_.get()) != rec.size() || std::fflush(f_.get()) != 0)
    return SysError("writing " + path_);
  return {};
}

Scalars scalars_of(const Json& line) {
  Scalars out;
  if (!line.is_object()) return out;
  const Json& kind = line.contains(key::kKind) ? line[key::kKind] : Json();
  flatten(kind.is_string() ? kind.get<std::string>() : "metrics", line, out);
  return out;
}

std::vector<std::string> event_files(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.rfind("events.out.tfevents.", 0) == 0 && name.size() > 10 && name.compare(name.size() - 10, 10, ".stepcoder") == 0)
      out.push_back(dir + "/" + name);
  }
  ::closedir(d);
  return out;
}

}  // namespace stepcoder::run
