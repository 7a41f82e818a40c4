// safetensors reading and writing: see safetensors.h.
#include "model/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

namespace stepcoder::model {

namespace {

using Json = nlohmann::json;

Expected<SafeTensor> parse_entry(const std::string& name, const Json& e, size_t data_size) {
  auto bad = [&](const std::string& why) { return Error("tensor " + name + ": " + why); };
  if (!e.is_object() || !e.contains("dtype") || !e.contains("shape") || !e.contains("data_offsets"))
    return bad("the header entry lacks dtype, shape or data_offsets");
  SafeTensor t;
  t.dtype = e["dtype"].is_string() ? e["dtype"].get<std::string>() : "";
  size_t unit = dtype_size(t.dtype);
  if (!unit) return bad("dtype " + e["dtype"].dump() + " is not supported (F32, F16 and BF16 are)");
  uint64_t count = 1;
  for (const Json& d : e["shape"]) {
    if (!d.is_number_integer() || d.get<int64_t>() < 0 || d.get<int64_t>() > (int64_t{1} << 40))
      return bad("shape " + e["shape"].dump() + " is not a list of sizes");
    t.shape.push_back(d.get<int64_t>());
    if (__builtin_mul_overflow(count, static_cast<uint64_t>(t.shape.back()), &count) || count > data_size)
      return bad("shape " + e["shape"].dump() + " is larger than the whole file");
  }
  const Json& off = e["data_offsets"];
  if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
    return bad("data_offsets is not [begin, end]");
  t.begin = off[0].get<uint64_t>(), t.end = off[1].get<uint64_t>();
  if (t.begin > t.end || t.end > data_size)
    return bad("data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
               ") point past the end of the file's " + std::to_string(data_size) + " data bytes");
  if (count * unit != t.end - t.begin)
    return bad("shape " + e["shape"].dump() + " of " + t.dtype + " needs " + std::to_string(count * unit) +
               " bytes, the file gives " + std::to_string(t.end - t.begin));
  return t;
}

}  // namespace

size_t dtype_size(const std::string& d) {
  if (d == "F32") return 4;
  if (d == "F16" || d == "BF16") return 2;
  return 0;
}

Expected<std::unique_ptr<SafetensorsFile>> SafetensorsFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Error(path + ": " + std::strerror(errno));
  }
  std::unique_ptr<SafetensorsFile> f(new SafetensorsFile());
  f->path_ = path;
  f->size_ = static_cast<size_t>(st.st_size);
  if (f->size_ < 8) {
    ::close(fd);
    return Error(path + ": too short for a safetensors file (" + std::to_string(f->size_) + " bytes)");
  }
  void* m = ::mmap(nullptr, f->size_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return Error(path + ": mmap: " + std::strerror(errno));
  f->map_ = static_cast<char*>(m);
  uint64_t n = 0;
  std::memcpy(&n, f->map_, 8);  // little endian, as every platform LibTorch supports here
  if (n > f->size_ - 8) return Error(path + ": header length " + std::to_string(n) + " runs past the end of the file");
  Json header = Json::parse(f->map_ + 8, f->map_ + 8 + n, nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) return Error(path + ": the header is not a JSON object");
  f->data_ = f->map_ + 8 + n;
  const size_t data_size = f->size_ - 8 - n;
  for (const auto& [name, e] : header.items()) {
    if (name == "__metadata__") continue;
    auto t = parse_entry(name, e, data_size);
    if (!t) return Error(path + ": " + t.error());
    f->tensors_[name] = *t;
  }
  return f;
}

SafetensorsFile::~SafetensorsFile() {
  if (map_) ::munmap(map_, size_);
}

void SafetensorsFile::release(const SafeTensor& t) const {
  const long page = ::sysconf(_SC_PAGESIZE);
  uintptr_t b = reinterpret_cast<uintptr_t>(data_ + t.begin), e = reinterpret_cast<uintptr_t>(data_ + t.end);
  b = (b + page - 1) / page * page;  // whole pages only: neighbours may still be needed
  e = e / page * page;
  if (e > b) ::madvise(reinterpret_cast<void*>(b), e - b, MADV_DONTNEED);
}

Status write_safetensors(const std::string& path, const std::vector<SafeTensorOut>& tensors) {
  Json header = Json::object();
  size_t at = 0;
  for (const SafeTensorOut& t : tensors) {
    header[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {at, at + t.bytes}}};
    at += t.bytes;
  }
  std::string h = header.dump();
  h.append((8 - h.size() % 8) % 8, ' ');
  uint64_t n = h.size();
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Error(tmp + ": " + std::strerror(errno));
  bool ok = std::fwrite(&n, 8, 1, f) == 1 && std::fwrite(h.data(), 1, h.size(), f) == h.size();
  for (const SafeTensorOut& t : tensors) ok = ok && std::fwrite(t.data, 1, t.bytes, f) == t.bytes;
  ok = ok && std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    return Error(path + ": writing failed: " + std::strerror(err));
  }
  return {};
}

}  // namespace stepcoder::model
