// A text's tokens and the bytes each one covers, as every tokenizer returns them.
#pragma once

#include <vector>

namespace stepcoder::model {

struct TokenSpan {
  int begin = 0, end = 0;  // bytes [begin, end) of the text
};

struct Encoding {
  std::vector<int> ids;
  std::vector<TokenSpan> spans;  // one per id
};

}  // namespace stepcoder::model
