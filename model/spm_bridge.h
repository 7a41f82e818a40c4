// The narrow interface through which the tokenizer reaches SentencePiece. Debian's
// libsentencepiece exports its own protobuf 3.14 while LibTorch loads protobuf 3.21; in one
// symbol scope they crash at startup. SentencePiece therefore lives in a separate module
// (spm_module.cpp) that is dlopen()ed with RTLD_LOCAL | RTLD_DEEPBIND, so each side binds to
// its own protobuf. Only this abstract class crosses the boundary; no exception does.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace stepcoder::model {

struct SpmPiece {
  int id = 0;
  int begin = 0, end = 0;  // bytes of the input
};

class SpmBridge {
 public:
  virtual ~SpmBridge() = default;
  // Errors come back as a non-empty string.
  virtual std::string load(const std::string& serialized) = 0;
  virtual std::string train(const std::unordered_map<std::string, std::string>& args,
                            uint32_t seed, std::string* serialized) = 0;
  virtual int piece_size() const = 0;
  virtual std::string id_to_piece(int id) const = 0;
  virtual int piece_to_id(const std::string& piece) const = 0;
  // 0 normal, 1 unknown, 2 control, 3 byte, 4 user-defined, 5 unused
  virtual int piece_type(int id) const = 0;
  virtual int special_id(char which) const = 0;  // 'u'nk, 'b'os, 'e'os, 'p'ad
  virtual std::vector<int> encode(const std::string& text) const = 0;
  virtual std::vector<SpmPiece> encode_with_offsets(const std::string& text) const = 0;
  virtual std::string decode(const std::vector<int>& ids) const = 0;
};

// A fresh SentencePiece processor from the module, or nullptr with *error set.
SpmBridge* create_spm_bridge(std::string* error);

}  // namespace stepcoder::model

extern "C" stepcoder::model::SpmBridge* stepcoder_spm_create();
