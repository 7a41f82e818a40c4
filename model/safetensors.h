// safetensors files, mapped read-only (mmap), never copied whole into memory: an 8-byte little
// endian header length, a JSON header {name: {dtype, shape, data_offsets}}, then raw data.
// Every entry is checked when the file opens (dtype, offsets inside the file, bytes matching
// the shape), so a damaged file is an error naming the file and the tensor.
//
//   auto f = SafetensorsFile::open("model.safetensors");
//   for (const auto& [name, t] : (*f)->tensors()) use((*f)->data(t), t.shape);
//   (*f)->release(t);   // its pages leave the resident set once copied
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "util/expected.h"

namespace stepcoder::model {

struct SafeTensor {
  std::string dtype;           // F32, F16, BF16
  std::vector<int64_t> shape;
  size_t begin = 0, end = 0;   // byte range within the data section
};

class SafetensorsFile {
 public:
  static Expected<std::unique_ptr<SafetensorsFile>> open(const std::string& path);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::string& path() const { return path_; }
  const std::map<std::string, SafeTensor>& tensors() const { return tensors_; }
  const char* data(const SafeTensor& t) const { return data_ + t.begin; }
  // Drops the tensor's pages from this process's resident memory (they stay mapped).
  void release(const SafeTensor& t) const;

 private:
  SafetensorsFile() = default;
  std::string path_;
  char* map_ = nullptr;
  size_t size_ = 0;
  const char* data_ = nullptr;
  std::map<std::string, SafeTensor> tensors_;
};

size_t dtype_size(const std::string& dtype);  // 0 for an unsupported dtype

// Writes tensors given as raw bytes in the given order, the header padded to 8 bytes.
struct SafeTensorOut {
  std::string name, dtype;
  std::vector<int64_t> shape;
  const char* data = nullptr;
  size_t bytes = 0;
};
Status write_safetensors(const std::string& path, const std::vector<SafeTensorOut>& tensors);

}  // namespace stepcoder::model
