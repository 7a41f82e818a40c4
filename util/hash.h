// Content hashes for caches (compiled binaries, precompiled headers) and for identifying files
// (the checkpoint an experiment's runs start from): XXH3-128 as hex. Not cryptographic.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "util/expected.h"

namespace stepcoder {

// 32 hex digits of XXH3-128 over the parts, each length-prefixed so ("ab","c") != ("a","bc").
std::string hash_hex(std::initializer_list<std::string_view> parts);

// 32 hex digits of XXH3-128 over a file's bytes, read as a stream (a checkpoint of gigabytes
// is never held in memory): identifies the exact file a run started from.
Expected<std::string> file_hash_hex(const std::string& path);

}  // namespace stepcoder
