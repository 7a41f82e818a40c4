// SentencePiece behind SpmBridge, built as the loadable module `stepcoder_spm` (see
// spm_bridge.h for why it is kept out of the main symbol scope).
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <exception>

#include "model/spm_bridge.h"

namespace stepcoder::model {
namespace {

class SpmModule : public SpmBridge {
 public:
  std::string load(const std::string& serialized) override {
    auto st = sp_.LoadFromSerializedProto(serialized);
    return st.ok() ? "" : st.ToString();
  }
  std::string train(const std::unordered_map<std::string, std::string>& args, uint32_t seed,
                    std::string* serialized) override {
    try {
      sentencepiece::SetRandomGeneratorSeed(seed);
      auto st = sentencepiece::SentencePieceTrainer::Train(args, nullptr, serialized);
      return st.ok() ? "" : st.ToString();
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  int piece_size() const override { return sp_.GetPieceSize(); }
  std::string id_to_piece(int id) const override { return sp_.IdToPiece(id); }
  int piece_to_id(const std::string& p) const override { return sp_.PieceToId(p); }
  int piece_type(int id) const override {
    if (sp_.IsUnknown(id)) return 1;
    if (sp_.IsControl(id)) return 2;
    if (sp_.IsByte(id)) return 3;
    if (sp_.IsUnused(id)) return 5;
    return 0;
  }
  int special_id(char which) const override {
    switch (which) {
      case 'u': return sp_.unk_id();
      case 'b': return sp_.bos_id();
      case 'e': return sp_.eos_id();
      case 'p': return sp_.pad_id();
    }
    return -1;
  }
  std::vector<int> encode(const std::string& text) const override {
    std::vector<int> ids;
    sp_.Encode(text, &ids);
    return ids;
  }
  std::vector<SpmPiece> encode_with_offsets(const std::string& text) const override {
    std::vector<SpmPiece> out;
    auto proto = sp_.EncodeAsImmutableProto(text);
    for (size_t i = 0; i < proto.pieces_size(); ++i) {
      auto p = proto.pieces(i);
      out.push_back({static_cast<int>(p.id()), static_cast<int>(p.begin()), static_cast<int>(p.end())});
    }
    return out;
  }
  std::string decode(const std::vector<int>& ids) const override { return sp_.DecodeIds(ids); }

 private:
  sentencepiece::SentencePieceProcessor sp_;
};

}  // namespace
}  // namespace stepcoder::model

extern "C" __attribute__((visibility("default"))) stepcoder::model::SpmBridge* stepcoder_spm_create() {
  return new stepcoder::model::SpmModule();
}
