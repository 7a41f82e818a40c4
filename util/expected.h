// Expected<T>: a value or an error message, the result type of system-facing code.
// Errors say which operation failed and why ("open /tmp/x: No such file or directory"),
// so callers can add context as they pass them up instead of throwing across libraries.
//
//   Expected<std::string> r = read_file("p.cpp");
//   if (!r) return Error("loading program: " + r.error());
//   use(*r);
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace stepcoder {

struct Error {
  std::string message;
  explicit Error(std::string m) : message(std::move(m)) {}
};

// "what: strerror(errno)" for a failed system call.
inline Error SysError(const std::string& what, int err = errno) {
  return Error(what + ": " + std::strerror(err));
}

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}
  Expected(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const std::string& error() const { return std::get<1>(v_).message; }

 private:
  std::variant<T, Error> v_;
};

// Expected<void>: success or an error.
template <>
class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Error error) : err_(std::move(error.message)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return err_; }

 private:
  std::string err_;
  bool failed_ = false;
};

using Status = Expected<void>;

}  // namespace stepcoder
