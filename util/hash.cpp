// XXH3-128 content hashes: see hash.h.
#include "util/hash.h"

#include <xxhash.h>

#include <cinttypes>
#include <cstdio>

namespace stepcoder {

std::string hash_hex(std::initializer_list<std::string_view> parts) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_128bits_reset(st);
  for (std::string_view p : parts) {
    uint64_t n = p.size();
    XXH3_128bits_update(st, &n, sizeof n);
    XXH3_128bits_update(st, p.data(), p.size());
  }
  XXH128_hash_t h = XXH3_128bits_digest(st);
  XXH3_freeState(st);
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016" PRIx64 "%016" PRIx64, h.high64, h.low64);
  return buf;
}

}  // namespace stepcoder
