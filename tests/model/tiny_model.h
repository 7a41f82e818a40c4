// A tiny model and tokenizer shared by the model tests (trained once per test binary).
#pragma once

#include "model/tokenizer.h"
#include "model/transformer.h"
#include "tests/model/test_corpus.h"

namespace stepcoder::model::testing {

inline const Tokenizer& tiny_tokenizer() {
  static Tokenizer* tok = [] {
    TokenizerTrainOptions o;
    o.vocab_size = 600;
    auto t = Tokenizer::train(synthetic_texts(60), o);
    if (!t) throw std::runtime_error(t.error());
    return new Tokenizer(std::move(*t));
  }();
  return *tok;
}

inline ModelConfig tiny_config() {
  ModelConfig c;
  c.vocab_size = tiny_tokenizer().vocab_size();
  c.dim = 32, c.layers = 2, c.heads = 4, c.context = 96, c.threads = 1;
  return c;
}

}  // namespace stepcoder::model::testing
