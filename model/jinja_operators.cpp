// Python's operators on Jinja values: equality (1 == 1.0 == True, list != tuple), ordering
// with Python's TypeErrors, membership (`in`), and arithmetic (+ - * / // % **) including
// sequence repetition and concatenation. Integers are 64-bit; an overflow is an error where
// Python would grow the integer.
//
//   Value v = binary_op("//", Value::integer(-7), Value::integer(2));   // -4
//   bool e = equals(Value::integer(1), Value::number(1.0));             // true
#include <algorithm>
#include <cmath>

#include "model/jinja_internal.h"

namespace stepcoder::model::jinja {

bool equals(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_integer() && b.is_integer()) return a.i == b.i;
    return a.as_double() == b.as_double();
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::Undefined: case Kind::None: return true;
    case Kind::Str: return a.s == b.s;
    case Kind::List: {
      const ListObj &x = a.as_list(), &y = b.as_list();
      if (x.tuple != y.tuple || x.items.size() != y.items.size()) return false;
      for (size_t k = 0; k < x.items.size(); ++k) {
        if (!equals(x.items[k], y.items[k])) return false;
      }
      return true;
    }
    case Kind::Dict: {
      const DictObj &x = a.as_dict(), &y = b.as_dict();
      if (x.items.size() != y.items.size()) return false;
      for (const auto& [k, val] : x.items) {
        const Value* other = y.find(k);
        if (!other || !equals(val, *other)) return false;
      }
      return true;
    }
    default: return a.obj == b.obj;
  }
}

int compare(const Value& a, const Value& b, const char* op) {
  if (a.is_undefined()) raise_undefined(a);
  if (b.is_undefined()) raise_undefined(b);
  if (a.is_number() && b.is_number()) {
    if (a.is_integer() && b.is_integer()) return a.i < b.i ? -1 : a.i > b.i;
    double x = a.as_double(), y = b.as_double();
    return x < y ? -1 : x > y;
  }
  if (a.is_str() && b.is_str()) return a.s.compare(b.s) < 0 ? -1 : a.s.compare(b.s) > 0;
  if (a.kind == Kind::List && b.kind == Kind::List && a.as_list().tuple == b.as_list().tuple) {
    const auto &x = a.as_list().items, &y = b.as_list().items;
    for (size_t k = 0; k < x.size() && k < y.size(); ++k) {
      if (!equals(x[k], y[k])) return compare(x[k], y[k], op);
    }
    return x.size() < y.size() ? -1 : x.size() > y.size();
  }
  fail(std::string("'") + op + "' not supported between instances of '" + type_name(a) + "' and '" +
       type_name(b) + "'");
}

bool contains(const Value& container, const Value& item) {
  switch (container.kind) {
    case Kind::Undefined: return false;
    case Kind::Str:
      if (!item.is_str()) fail("'in <string>' requires string as left operand, not " + type_name(item));
      return container.s.find(item.s) != std::string::npos;
    case Kind::List:
      return std::any_of(container.as_list().items.begin(), container.as_list().items.end(),
                         [&](const Value& x) { return equals(x, item); });
    case Kind::Dict:
      if (key_string(item).empty()) fail("unhashable type: '" + type_name(item) + "'");
      return container.as_dict().find(item) != nullptr;
    default: fail("argument of type '" + type_name(container) + "' is not iterable");
  }
}

namespace {

[[noreturn]] void unsupported(const std::string& op, const Value& a, const Value& b) {
  fail("unsupported operand type(s) for " + op + ": '" + type_name(a) + "' and '" + type_name(b) + "'");
}

Value repeat(const Value& seq, int64_t n) {
  n = std::max<int64_t>(n, 0);
  if (seq.is_str()) {
    check_size(seq.s.size() * static_cast<size_t>(n));
    std::string out;
    for (int64_t k = 0; k < n; ++k) out += seq.s;
    return Value::str(std::move(out));
  }
  const ListObj& l = seq.as_list();
  if (!l.items.empty() && static_cast<size_t>(n) > kMaxListSize) fail("list longer than the limit");
  std::vector<Value> out;
  for (int64_t k = 0; k < n && !l.items.empty(); ++k) out.insert(out.end(), l.items.begin(), l.items.end());
  return Value::list(std::move(out), l.tuple);
}

Value integer_op(char op, int64_t a, int64_t b) {
  int64_t r = 0;
  bool overflow = false;
  switch (op) {
    case '+': overflow = __builtin_add_overflow(a, b, &r); break;
    case '-': overflow = __builtin_sub_overflow(a, b, &r); break;
    case '*': overflow = __builtin_mul_overflow(a, b, &r); break;
    case 'f':  // floor division
      if (b == 0) fail("integer division or modulo by zero");
      if (a == INT64_MIN && b == -1) overflow = true;
      else r = a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
      break;
    case '%':  // Python's sign rule: -7 % 3 is 2 (@huggingface/jinja: -1)
      if (b == 0) fail("integer modulo by zero");
      r = (a == INT64_MIN && b == -1) ? 0 : a % b;
      if (r != 0 && ((r < 0) != (b < 0))) r += b;
      break;
    case 'p':  // power, b >= 0
      r = 1;
      for (int64_t k = 0; k < b && !overflow; ++k) overflow = __builtin_mul_overflow(r, a, &r);
      break;
  }
  if (overflow) fail("integer overflow (values are 64-bit)");
  return Value::integer(r);
}

Value float_op(char op, double a, double b) {
  switch (op) {
    case '+': return Value::number(a + b);
    case '-': return Value::number(a - b);
    case '*': return Value::number(a * b);
    case '/':
      if (b == 0) fail("float division by zero");
      return Value::number(a / b);
    case 'f':
      if (b == 0) fail("float floor division by zero");
      return Value::number(std::floor(a / b));
    case '%': {
      if (b == 0) fail("float modulo");
      double r = std::fmod(a, b);
      if (r != 0 && ((r < 0) != (b < 0))) r += b;
      return Value::number(r);
    }
    default:
      if (a == 0 && b < 0) fail("0.0 cannot be raised to a negative power");
      return Value::number(std::pow(a, b));
  }
}

Value arithmetic(const std::string& op, const Value& a, const Value& b) {
  char code = op == "//" ? 'f' : op == "**" ? 'p' : op[0];
  if (a.is_integer() && b.is_integer()) {
    if (code == '/') {
      if (b.i == 0) fail("division by zero");
      return Value::number(static_cast<double>(a.i) / static_cast<double>(b.i));
    }
    if (code == 'p' && b.i < 0) return float_op('p', static_cast<double>(a.i), static_cast<double>(b.i));
    return integer_op(code, a.i, b.i);
  }
  return float_op(code, a.as_double(), b.as_double());
}

}  // namespace

Value binary_op(const std::string& op, const Value& a, const Value& b) {
  if (op == "~") {
    std::string s = to_str(a) + to_str(b);
    check_size(s.size());
    return Value::str(std::move(s));
  }
  if (a.is_undefined()) raise_undefined(a);
  if (b.is_undefined()) raise_undefined(b);
  if (a.is_number() && b.is_number()) return arithmetic(op, a, b);
  // 'a' + 1 is a TypeError as in Python (@huggingface/jinja concatenates: "a1").
  if (op == "+") {
    if (a.is_str() && b.is_str()) {
      check_size(a.s.size() + b.s.size());
      return Value::str(a.s + b.s);
    }
    if (a.kind == Kind::List && b.kind == Kind::List && a.as_list().tuple == b.as_list().tuple) {
      std::vector<Value> items = a.as_list().items;
      items.insert(items.end(), b.as_list().items.begin(), b.as_list().items.end());
      return Value::list(std::move(items), a.as_list().tuple);
    }
    if (a.is_str() || a.kind == Kind::List) {
      fail("can only concatenate " + type_name(a) + " (not \"" + type_name(b) + "\") to " + type_name(a));
    }
  }
  if (op == "*") {
    if ((a.is_str() || a.kind == Kind::List) && b.is_integer()) return repeat(a, b.i);
    if ((b.is_str() || b.kind == Kind::List) && a.is_integer()) return repeat(b, a.i);
    if (a.is_str() || b.is_str()) fail("can't multiply sequence by non-int of type '" + type_name(a.is_str() ? b : a) + "'");
  }
  if (op == "%" && a.is_str()) fail("unsupported: the '%' string formatting operator");
  unsupported(op == "**" ? "** or pow()" : op, a, b);
}

}  // namespace stepcoder::model::jinja
