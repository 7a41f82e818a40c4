// Content hashes for caches (compiled binaries, precompiled headers): XXH3-128 as hex.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace stepcoder {

// 32 hex digits of XXH3-128 over the parts, each length-prefixed so ("ab","c") != ("a","bc").
std::string hash_hex(std::initializer_list<std::string_view> parts);

}  // namespace stepcoder
