// Jinja evaluator: walks the syntax tree of a parsed template with Jinja's scoping (each loop
// iteration and each macro call gets its own scope; `if` does not, so a `set` there reaches
// the enclosing scope), enforces the render limits of jinja_internal.h, and implements the
// public Template API of jinja.h.
//
//   auto tpl = Template::parse("{{ messages[0].content }}", "chat_template");
//   auto out = tpl->render(nlohmann::ordered_json{{"messages", ...}});
#include <nlohmann/json.hpp>

#include "model/jinja.h"
#include "model/jinja_internal.h"

namespace stepcoder::model::jinja {

namespace {

struct Scope : std::enable_shared_from_this<Scope> {
  explicit Scope(std::shared_ptr<Scope> up) : parent(std::move(up)) {}
  std::shared_ptr<Scope> parent;
  std::vector<std::pair<std::string, Value>> vars;
  bool captured = false;  // a macro or a caller refers to it

  const Value* find(const std::string& name) const {
    for (const Scope* s = this; s; s = s->parent.get()) {
      for (const auto& kv : s->vars) {
        if (kv.first == name) return &kv.second;
      }
    }
    return nullptr;
  }
  void set(const std::string& name, Value v) {
    for (auto& kv : vars) {
      if (kv.first == name) return void(kv.second = std::move(v));
    }
    vars.emplace_back(name, std::move(v));
  }
};
using ScopePtr = std::shared_ptr<Scope>;

enum class Flow { Normal, Break, Continue };

class Evaluator {
 public:
  explicit Evaluator(std::string* out) : out_(out) {}

  Flow exec_body(const Body& body, Scope& scope) {
    for (const StmtPtr& s : body) {
      Flow f = exec(*s, scope);
      if (f != Flow::Normal) return f;
    }
    return Flow::Normal;
  }

 private:
  struct DepthGuard {
    explicit DepthGuard(Evaluator* e) : e_(e) {
      if (++e_->depth_ > kMaxDepth) fail("recursion too deep (more than " + std::to_string(kMaxDepth) + " levels)");
    }
    ~DepthGuard() { --e_->depth_; }
    Evaluator* e_;
  };

  void emit(const std::string& s) {
    check_size(out_->size() + s.size());
    *out_ += s;
  }

  Flow exec(const Stmt& s, Scope& scope) {
    DepthGuard guard(this);
    try {
      return exec_inner(s, scope);
    } catch (JinjaError& e) {
      if (!e.line) e.line = s.line;
      throw;
    }
  }

  Flow exec_inner(const Stmt& s, Scope& scope) {
    switch (s.kind) {
      case Stmt::Kind::Text: emit(s.text); return Flow::Normal;
      case Stmt::Kind::Output: emit(to_str(eval(*s.expr, scope))); return Flow::Normal;
      case Stmt::Kind::If:
        for (const auto& [cond, body] : s.branches) {
          if (!cond || truthy(eval(*cond, scope))) return exec_body(body, scope);
        }
        return Flow::Normal;
      case Stmt::Kind::For: exec_for(s, scope); return Flow::Normal;
      case Stmt::Kind::Set: assign(s.target, eval(*s.expr, scope), scope); return Flow::Normal;
      case Stmt::Kind::SetBlock: {
        auto inner = std::make_shared<Scope>(scope.shared_from_this());
        assign(s.target, Value::str(capture(s.body, *inner)), scope);
        return Flow::Normal;
      }
      case Stmt::Kind::Macro: scope.set(s.text, make_macro(s, scope)); return Flow::Normal;
      case Stmt::Kind::CallBlock: emit(to_str(call_block(s, scope))); return Flow::Normal;
      case Stmt::Kind::FilterBlock: emit(to_str(filter_block(s, scope))); return Flow::Normal;
      case Stmt::Kind::Break: return Flow::Break;
      case Stmt::Kind::Continue: return Flow::Continue;
    }
    return Flow::Normal;
  }

  std::string capture(const Body& body, Scope& scope) {
    std::string buf;
    std::string* saved = out_;
    out_ = &buf;
    try {
      exec_body(body, scope);
    } catch (...) {
      out_ = saved;
      throw;
    }
    out_ = saved;
    return buf;
  }

  void bind(const Target& t, const Value& v, Scope& scope) {
    if (!t.unpack) return scope.set(t.names[0], v);
    std::vector<Value> items = iterate(v);
    if (items.size() < t.names.size()) {
      fail("not enough values to unpack (expected " + std::to_string(t.names.size()) + ", got " +
           std::to_string(items.size()) + ")");
    }
    if (items.size() > t.names.size()) {
      fail("too many values to unpack (expected " + std::to_string(t.names.size()) + ")");
    }
    for (size_t k = 0; k < items.size(); ++k) scope.set(t.names[k], items[k]);
  }

  void assign(const Target& t, const Value& v, Scope& scope) {
    if (t.attr.empty()) return bind(t, v, scope);
    const Value* ns = scope.find(t.names[0]);
    if (!ns || ns->kind != Kind::Namespace) fail("cannot assign attribute on non-namespace object");
    ns->namespace_dict().set(Value::str(t.attr), v);
  }

  // Jinja's `loop` is one object that advances; so is this dict (its slots are rewritten in
  // place each iteration, which also keeps a 10-million-iteration loop cheap).
  struct LoopState {
    std::shared_ptr<DictObj> dict = std::make_shared<DictObj>();
    std::shared_ptr<int64_t> index = std::make_shared<int64_t>(0);
  };

  LoopState make_loop() {
    LoopState st;
    for (const char* key : {"index", "index0", "revindex", "revindex0", "first", "last", "length",
                            "previtem", "nextitem", "depth", "depth0"}) {
      st.dict->set(Value::str(key), Value::none());
    }
    std::shared_ptr<int64_t> index = st.index;
    st.dict->set(Value::str("cycle"), Value::callable("cycle", [index](Args& a) {
      if (a.pos.empty()) fail("no items for cycling given");
      return a.pos[static_cast<size_t>(*index) % a.pos.size()];
    }));
    return st;
  }

  void advance_loop(LoopState& st, const std::vector<Value>& items, size_t k) {
    int64_t n = static_cast<int64_t>(items.size()), i = static_cast<int64_t>(k);
    *st.index = i;
    auto& slot = st.dict->items;
    slot[0].second = Value::integer(i + 1);
    slot[1].second = Value::integer(i);
    slot[2].second = Value::integer(n - i);
    slot[3].second = Value::integer(n - i - 1);
    slot[4].second = Value::boolean(i == 0);
    slot[5].second = Value::boolean(i == n - 1);
    slot[6].second = Value::integer(n);
    slot[7].second = k > 0 ? items[k - 1] : Value::undefined("there is no previous item");
    slot[8].second = i + 1 < n ? items[k + 1] : Value::undefined("there is no next item");
    slot[9].second = Value::integer(1);
    slot[10].second = Value::integer(0);
  }

  void count_iteration() {
    if (++iterations_ > kMaxIterations) {
      fail("more than " + std::to_string(kMaxIterations) + " loop iterations in one render");
    }
  }

  void exec_for(const Stmt& s, Scope& scope) {
    std::vector<Value> items = iterate(eval(*s.expr, scope));
    ScopePtr parent = scope.shared_from_this();
    if (s.condition) {
      std::vector<Value> kept;
      for (Value& item : items) {
        count_iteration();
        auto probe = std::make_shared<Scope>(parent);
        bind(s.target, item, *probe);
        if (truthy(eval(*s.condition, *probe))) kept.push_back(std::move(item));
      }
      items = std::move(kept);
    }
    LoopState loop = make_loop();
    ScopePtr iter;
    for (size_t k = 0; k < items.size(); ++k) {
      count_iteration();
      // A fresh scope per iteration, reused when nothing (a macro, a caller) kept the last one.
      // (@huggingface/jinja 0.5.11 carries a `set` of one iteration into the next: "{% set x = 1
      // %}{% for i in range(3) %}{% set x = x + i %}{{ x }}{% endfor %}" gives 124, Jinja 123.)
      if (iter && iter.use_count() == 1 && !iter->captured) {
        iter->vars.clear();
      } else {
        iter = std::make_shared<Scope>(parent);
      }
      advance_loop(loop, items, k);
      iter->set("loop", Value::dict(loop.dict));
      bind(s.target, items[k], *iter);
      if (exec_body(s.body, *iter) == Flow::Break) break;
    }
    if (items.empty() && !s.else_body.empty()) {
      auto inner = std::make_shared<Scope>(parent);
      exec_body(s.else_body, *inner);
    }
  }

  Value make_macro(const Stmt& m, Scope& scope) {
    scope.captured = true;
    std::weak_ptr<Scope> home = scope.shared_from_this();
    return Value::callable(m.text, [this, &m, home](Args& a) { return call_macro(m, home, a); });
  }

  Value call_macro(const Stmt& m, const std::weak_ptr<Scope>& home, Args& a) {
    DepthGuard guard(this);
    ScopePtr parent = home.lock();
    if (!parent) fail("macro '" + m.text + "' called after the scope that defined it ended");
    if (a.pos.size() > m.params.size()) {
      fail("macro '" + m.text + "' takes not more than " + std::to_string(m.params.size()) + " argument(s)");
    }
    auto scope = std::make_shared<Scope>(parent);
    for (auto& [name, v] : a.kw) {
      bool known = name == "caller";
      for (const auto& p : m.params) known = known || p.first == name;
      if (!known) fail("macro '" + m.text + "' takes no keyword argument '" + name + "'");
      if (name == "caller") scope->set("caller", v);
    }
    for (size_t k = 0; k < m.params.size(); ++k) {
      const auto& [name, dflt] = m.params[k];
      const Value* given = k < a.pos.size() ? &a.pos[k] : arg(a, a.pos.size() + m.params.size(), name.c_str());
      if (given) {
        scope->set(name, *given);
      } else {
        scope->set(name, dflt ? eval(*dflt, *scope) : Value::undefined("parameter '" + name + "' was not provided"));
      }
    }
    return Value::str(capture(m.body, *scope));
  }

  Value call_block(const Stmt& s, Scope& scope) {
    const Expr& call = *s.expr;
    Value callee = eval(*call.base, scope);
    Args args = eval_args(call, scope);
    scope.captured = true;
    ScopePtr home = scope.shared_from_this();
    args.kw.emplace_back("caller", Value::callable("caller", [this, &s, home](Args&) {
      auto inner = std::make_shared<Scope>(home);
      return Value::str(capture(s.body, *inner));
    }));
    return invoke(callee, args);
  }

  Value filter_block(const Stmt& s, Scope& scope) {
    auto inner = std::make_shared<Scope>(scope.shared_from_this());
    Value v = Value::str(capture(s.body, *inner));
    for (const ExprPtr& f : s.filters) {
      Args args = eval_args(*f, scope);
      v = f->filter(v, args);
    }
    return v;
  }

  // ---- expressions ----

  Value eval(const Expr& e, Scope& scope) {
    DepthGuard guard(this);
    try {
      return eval_inner(e, scope);
    } catch (JinjaError& err) {
      if (!err.line) err.line = e.line;
      throw;
    }
  }

  Args eval_args(const Expr& e, Scope& scope) {
    Args a;
    for (const ExprPtr& x : e.args) a.pos.push_back(eval(*x, scope));
    for (const auto& [k, x] : e.kwargs) a.kw.emplace_back(k, eval(*x, scope));
    return a;
  }

  Value invoke(const Value& callee, Args& args) {
    if (callee.is_undefined()) raise_undefined(callee);
    if (callee.kind != Kind::Callable) fail("'" + type_name(callee) + "' object is not callable");
    return callee.as_callable().fn(args);
  }

  Value lookup(const std::string& name, Scope& scope) {
    if (const Value* v = scope.find(name)) return *v;
    Value g;
    if (find_global(name, &g)) return g;
    return Value::undefined("'" + name + "' is undefined");
  }

  Value eval_inner(const Expr& e, Scope& scope) {
    switch (e.kind) {
      case Expr::Kind::Literal: return e.literal;
      case Expr::Kind::Name: return lookup(e.name, scope);
      case Expr::Kind::List: case Expr::Kind::Tuple: {
        std::vector<Value> items;
        for (const ExprPtr& x : e.args) items.push_back(eval(*x, scope));
        return Value::list(std::move(items), e.kind == Expr::Kind::Tuple);
      }
      case Expr::Kind::Dict: {
        auto d = std::make_shared<DictObj>();
        for (size_t k = 0; k + 1 < e.args.size(); k += 2) d->set(eval(*e.args[k], scope), eval(*e.args[k + 1], scope));
        return Value::dict(std::move(d));
      }
      case Expr::Kind::Attr: return get_attr(eval(*e.base, scope), e.name);
      case Expr::Kind::Item: {
        Value obj = eval(*e.base, scope);
        return get_item(obj, eval(*e.args[0], scope));
      }
      case Expr::Kind::Slice: {
        Value obj = eval(*e.base, scope);
        Value parts[3];
        for (int k = 0; k < 3; ++k) parts[k] = e.args[k] ? eval(*e.args[k], scope) : Value::none();
        return slice(obj, parts[0], parts[1], parts[2]);
      }
      case Expr::Kind::Call: {
        Value callee = eval(*e.base, scope);
        Args args = eval_args(e, scope);
        return invoke(callee, args);
      }
      case Expr::Kind::Filter: {
        Value input = eval(*e.base, scope);
        Args args = eval_args(e, scope);
        return e.filter(input, args);
      }
      case Expr::Kind::Test: {
        Value input = eval(*e.base, scope);
        Args args = eval_args(e, scope);
        return Value::boolean(e.test(input, args) != e.negated);
      }
      default: return eval_operator(e, scope);
    }
  }

  Value eval_operator(const Expr& e, Scope& scope) {
    switch (e.kind) {
      case Expr::Kind::Neg: case Expr::Kind::Pos: {
        Value v = eval(*e.base, scope);
        if (v.is_undefined()) raise_undefined(v);
        if (!v.is_number()) {
          fail(std::string("bad operand type for unary ") + (e.kind == Expr::Kind::Neg ? "-" : "+") + ": '" + type_name(v) + "'");
        }
        if (e.kind == Expr::Kind::Pos) return v.kind == Kind::Bool ? Value::integer(v.i) : v;
        if (v.kind == Kind::Float) return Value::number(-v.f);
        return binary_op("-", Value::integer(0), v);
      }
      case Expr::Kind::Not: return Value::boolean(!truthy(eval(*e.base, scope)));
      case Expr::Kind::And: {
        Value a = eval(*e.base, scope);
        return truthy(a) ? eval(*e.args[0], scope) : a;
      }
      case Expr::Kind::Or: {
        Value a = eval(*e.base, scope);
        return truthy(a) ? a : eval(*e.args[0], scope);
      }
      case Expr::Kind::Cond:
        if (truthy(eval(*e.args[1], scope))) return eval(*e.args[0], scope);
        if (e.args[2]) return eval(*e.args[2], scope);
        return Value::undefined("the inline if-expression on line " + std::to_string(e.line) +
                                " evaluated to false and no else section was defined.");
      default: break;
    }
    if (e.name == "compare") return eval_compare(e, scope);
    Value a = eval(*e.base, scope);
    Value b = eval(*e.args[0], scope);
    return binary_op(e.name, a, b);
  }

  Value eval_compare(const Expr& e, Scope& scope) {
    Value left = eval(*e.base, scope);
    for (const auto& [op, rhs] : e.kwargs) {
      Value right = eval(*rhs, scope);
      bool ok;
      if (op == "==") ok = equals(left, right);
      else if (op == "!=") ok = !equals(left, right);
      else if (op == "in") ok = contains(right, left);
      else if (op == "not in") ok = !contains(right, left);
      else {
        int c = compare(left, right, op.c_str());
        ok = op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0;
      }
      if (!ok) return Value::boolean(false);
      left = std::move(right);
    }
    return Value::boolean(true);
  }

  std::string* out_;
  int depth_ = 0;
  int64_t iterations_ = 0;
};

}  // namespace

void render_program(const Program& program, const nlohmann::ordered_json& vars, std::string* out) {
  auto root = std::make_shared<Scope>(nullptr);
  for (const auto& [k, v] : vars.items()) root->set(k, from_json(v));
  Evaluator(out).exec_body(program.body, *root);
}

Expected<Template> Template::parse(std::string_view source, const std::string& origin) {
  try {
    std::vector<Token> tokens = lex(source);
    Template t;
    t.program_ = parse_tokens(tokens);
    t.origin_ = origin;
    return t;
  } catch (const JinjaError& e) {
    return Error(origin + " line " + std::to_string(e.line) + ": " + e.message);
  }
}

Expected<std::string> Template::render(const nlohmann::ordered_json& vars) const {
  if (!program_) return Error(origin_ + ": no template was parsed");
  if (!vars.is_object()) return Error(origin_ + ": the variables must be a JSON object");
  try {
    std::string out;
    render_program(*program_, vars, &out);
    return out;
  } catch (const JinjaError& e) {
    return Error(origin_ + " line " + std::to_string(e.line) + ": " + e.message);
  } catch (const std::exception& e) {
    return Error(origin_ + ": " + e.what());
  }
}

}  // namespace stepcoder::model::jinja
