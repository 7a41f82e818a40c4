// Internals of the Jinja engine (jinja.h) shared by its .cpp files: values, tokens, the syntax
// tree, the evaluator's interface and the tables of filters, tests and globals. Nothing outside
// model/jinja_*.cpp includes this.
//
//   std::vector<Token> tokens = lex(source);        // jinja_lexer.cpp
//   auto program = parse_tokens(tokens);            // jinja_parser.cpp
//   Evaluator(*program).render(vars, &out);         // jinja_eval.cpp
//
// Errors travel as a JinjaError exception inside the engine and become an Error at the two
// public entry points (Template::parse, Template::render); none leaves the library.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace stepcoder::model::jinja {

// Limits that keep a template from a config file from hanging or exhausting the trainer.
inline constexpr size_t kMaxOutput = 64u << 20;        // bytes of any one string
inline constexpr size_t kMaxListSize = 1u << 20;       // elements of a built list
inline constexpr int64_t kMaxRange = 100000;           // Jinja's sandbox MAX_RANGE
inline constexpr int64_t kMaxIterations = 10000000;    // loop iterations per render
inline constexpr int kMaxDepth = 400;                  // nested evaluation, macros included
inline constexpr int kMaxParseDepth = 100;             // nesting of blocks and expressions
inline constexpr int kMaxChain = 256;                  // operators chained in one expression

struct JinjaError {
  std::string message;
  int line = 0;  // 0 until the node that failed adds its line
};
[[noreturn]] void fail(std::string message);

// ---- values --------------------------------------------------------------------------------

enum class Kind : uint8_t { Undefined, None, Bool, Int, Float, Str, List, Dict, Namespace, Callable };

struct Object {
  virtual ~Object() = default;
};
struct ListObj;
struct DictObj;
struct Callable;

struct Value {
  Kind kind = Kind::Undefined;
  int64_t i = 0;        // Int, Bool (0/1)
  double f = 0;         // Float
  std::string s;        // Str; for Undefined the message to raise when it is misused
  std::shared_ptr<Object> obj;  // List, Dict, Namespace (mutable), Callable

  static Value undefined(std::string why) { Value v; v.s = std::move(why); return v; }
  static Value none() { Value v; v.kind = Kind::None; return v; }
  static Value boolean(bool b) { Value v; v.kind = Kind::Bool; v.i = b; return v; }
  static Value integer(int64_t n) { Value v; v.kind = Kind::Int; v.i = n; return v; }
  static Value number(double d) { Value v; v.kind = Kind::Float; v.f = d; return v; }
  static Value str(std::string t) { Value v; v.kind = Kind::Str; v.s = std::move(t); return v; }
  static Value list(std::vector<Value> items, bool tuple = false);
  static Value dict(std::shared_ptr<DictObj> d);
  static Value callable(std::string name, std::function<Value(struct Args&)> fn);

  bool is_undefined() const { return kind == Kind::Undefined; }
  bool is_str() const { return kind == Kind::Str; }
  bool is_number() const { return kind == Kind::Int || kind == Kind::Float || kind == Kind::Bool; }
  bool is_integer() const { return kind == Kind::Int || kind == Kind::Bool; }
  const ListObj& as_list() const;
  const DictObj& as_dict() const;  // Dict or Namespace
  DictObj& namespace_dict() const;
  const Callable& as_callable() const;
  double as_double() const { return kind == Kind::Float ? f : static_cast<double>(i); }
};

struct ListObj : Object {
  std::vector<Value> items;
  bool tuple = false;
};

// Insertion-ordered dictionary with Python's key equality (1 == 1.0 == True).
struct DictObj : Object {
  std::vector<std::pair<Value, Value>> items;
  std::unordered_map<std::string, size_t> index;
  const Value* find(const Value& key) const;
  void set(const Value& key, Value value);
};

struct Args {
  std::vector<Value> pos;
  std::vector<std::pair<std::string, Value>> kw;
};

struct Callable : Object {
  std::string name;
  std::function<Value(Args&)> fn;
};

// Python semantics (jinja_value.cpp; equals, compare, binary_op, contains: jinja_operators.cpp).
bool truthy(const Value& v);
std::string to_str(const Value& v);   // str(v): what {{ v }} prints
std::string repr(const Value& v);     // repr(v), as inside a printed list
std::string type_name(const Value& v);  // Python's type name: 'int', 'str', 'NoneType'...
std::string float_repr(double d);
bool equals(const Value& a, const Value& b);
int compare(const Value& a, const Value& b, const char* op);  // <0, 0, >0 or a TypeError
Value binary_op(const std::string& op, const Value& a, const Value& b);
bool contains(const Value& container, const Value& item);
int64_t length(const Value& v);
std::vector<Value> iterate(const Value& v);  // for-loop items; undefined gives none
[[noreturn]] void raise_undefined(const Value& v);
void check_size(size_t bytes);
Value from_json(const nlohmann::ordered_json& j);
// Python's json.dumps options; indent null writes one line.
struct JsonOptions {
  const std::string* indent = nullptr;
  bool sort_keys = false;
  bool ensure_ascii = false;
  std::string item_sep = ", ", key_sep = ": ";  // ',' and ': ' by default with an indent
};
std::string to_json(const Value& v, const JsonOptions& options);
std::string key_string(const Value& key);  // hash of a dict key; "" when unhashable

// Unicode helpers (jinja_methods.cpp).
std::vector<std::string> code_points(const std::string& s);
size_t code_point_count(const std::string& s);
std::string case_map(const std::string& s, char how);  // 'u'pper, 'l'ower

// Attribute and item access (jinja_methods.cpp): a.b and a[b] as Jinja resolves them.
Value get_attr(const Value& obj, const std::string& name);
Value get_item(const Value& obj, const Value& key);
Value slice(const Value& obj, const Value& start, const Value& stop, const Value& step);

// ---- tokens --------------------------------------------------------------------------------

enum class Tok { Text, VarBegin, VarEnd, BlockBegin, BlockEnd, Name, String, Int, Float, Op, End };

struct Token {
  Tok type;
  std::string text;  // Text content, name, unescaped string, operator, number spelling
  int line;
};

std::vector<Token> lex(std::string_view source);

// ---- syntax tree ---------------------------------------------------------------------------

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;
using FilterFn = Value (*)(const Value& input, Args& args);
using TestFn = bool (*)(const Value& input, Args& args);

struct Expr {
  enum class Kind {
    Literal, Name, List, Tuple, Dict, Attr, Item, Slice, Call, Filter, Test,
    Neg, Pos, Not, Binary, And, Or, Cond
  };
  Kind kind;
  int line = 0;
  Value literal;                // Literal
  std::string name;             // Name, Attr, Filter/Test name, Binary operator
  ExprPtr base;                 // object, callee, filtered or tested value, operand
  std::vector<ExprPtr> args;    // elements, arguments; Dict: key, value, key, value...
  std::vector<std::pair<std::string, ExprPtr>> kwargs;
  bool negated = false;         // `is not`
  FilterFn filter = nullptr;
  TestFn test = nullptr;
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

// The left side of `for` and `set`: one name, several (unpacking), or `ns.attr`.
struct Target {
  std::vector<std::string> names;
  std::string attr;
  bool unpack = false;
};

struct Stmt {
  enum class Kind { Text, Output, If, For, Set, SetBlock, Macro, CallBlock, FilterBlock, Break, Continue };
  Kind kind;
  int line = 0;
  std::string text;                              // Text; Macro name
  ExprPtr expr;                                  // Output, For iterable, Set value, CallBlock call
  std::vector<std::pair<ExprPtr, Body>> branches;  // If: condition (null for else) and body
  Target target;
  ExprPtr condition;                             // for ... if condition
  std::vector<ExprPtr> filters;                  // FilterBlock: filters with null base
  Body body, else_body;
  std::vector<std::pair<std::string, ExprPtr>> params;  // Macro parameters, default or null
};

class Program {
 public:
  Body body;
};

std::unique_ptr<Program> parse_tokens(const std::vector<Token>& tokens);

// ---- builtins (jinja_builtins.cpp: tests, globals, arguments; jinja_filters.cpp) ---------------------------------------

FilterFn find_filter(const std::string& name);
Value attr_path(const Value& v, const std::string& path);  // "a.b.0" as the attribute filters read it
TestFn find_test(const std::string& name);
bool find_global(const std::string& name, Value* out);
Value call_method(const Value& self, const std::string& name, Args& args);  // str/dict methods
bool has_method(const Value& self, const std::string& name);

// Argument binding for builtins: positional, then keyword, then the default.
const Value* arg(Args& a, size_t pos, const char* name);
Value arg_or(Args& a, size_t pos, const char* name, Value fallback);
void check_args(Args& a, size_t max_pos, std::initializer_list<const char*> names, const char* fn);

// ---- evaluation ----------------------------------------------------------------------------

void render_program(const Program& program, const nlohmann::ordered_json& vars, std::string* out);

}  // namespace stepcoder::model::jinja
