// The serialised-call codec of split assert tests (split_harness.h), as C++ source that both
// binaries compile: the trusted test process, which encodes arguments and decodes results, and
// the program, which decodes arguments, calls its entry point and encodes the result. Values
// are encoded by type, with no tags: arithmetic types as their bytes (both ends are the same
// compiler and target), strings and containers as a 64-bit count then the elements, pairs,
// tuples and arrays element by element. The test process decodes with every length checked
// against what arrived, so whatever the program sends can at worst be a wrong value.
#pragma once

namespace stepcoder::sandbox {

// Namespace __sc: put(W&, const T&), get(R&, T&) for every supported T (arithmetic types,
// std::string, vector, deque, list, set, multiset, unordered_set, map, multimap,
// unordered_map, pair, tuple, array, nested), frames over pipes (send_frame, recv_frame), and
// sig<F>: the return and parameter types of a function type. Other types do not compile.
const char* call_codec_source();  // after raw_syscall_source() (harness.h)

}  // namespace stepcoder::sandbox
