// Jinja parser: tokens (jinja_lexer.cpp) to the syntax tree of jinja_internal.h, by recursive
// descent with Jinja's precedence (or < and < not < comparisons < + - < ~ < * / // % < ** <
// unary minus < filters and tests < postfix). Filters and tests are resolved here, so an
// unknown one, or a tag this engine does not implement, is a parse error naming the line.
//
//   std::unique_ptr<Program> p = parse_tokens(lex("{% for m in messages %}{{ m.role }}{% endfor %}"));
#include <cerrno>
#include <cstdlib>
#include <set>

#include "model/jinja_internal.h"

namespace stepcoder::model::jinja {

namespace {

// Jinja tags outside the subset; they fail with "unsupported tag" instead of "unknown tag".
const std::set<std::string> kUnsupportedTags = {
    "include", "import", "from", "extends", "block", "endblock", "with", "endwith",
    "autoescape", "endautoescape", "do", "trans", "endtrans", "pluralize"};

const std::set<std::string> kEndTags = {
    "endif", "elif", "else", "endfor", "endset", "endmacro", "endcall", "endfilter",
    "endgeneration", "endraw"};

std::string describe(const Token& t) {
  switch (t.type) {
    case Tok::End: return "end of template";
    case Tok::VarEnd: return "end of print statement";
    case Tok::BlockEnd: return "end of statement block";
    case Tok::Text: return "template data";
    case Tok::String: return "string";
    default: return t.text;
  }
}

class Parser {
 public:
  explicit Parser(const std::vector<Token>& tokens) : t_(tokens) {}

  std::unique_ptr<Program> run() {
    auto program = std::make_unique<Program>();
    parse_body(&program->body, {}, "", 0);
    return program;
  }

 private:
  // ---- token helpers ----
  const Token& cur() const { return t_[pos_]; }
  const Token& next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
  bool is_op(const char* op) const { return cur().type == Tok::Op && cur().text == op; }
  bool is_name(const char* name) const { return cur().type == Tok::Name && cur().text == name; }
  bool skip_op(const char* op) { return is_op(op) ? (next(), true) : false; }
  bool skip_name(const char* name) { return is_name(name) ? (next(), true) : false; }

  [[noreturn]] void error(const std::string& msg) const { throw JinjaError{msg, cur().line}; }
  [[noreturn]] void unexpected() const { error("unexpected '" + describe(cur()) + "'"); }

  void expect_op(const char* op) {
    if (!skip_op(op)) error(std::string("expected '") + op + "', got '" + describe(cur()) + "'");
  }
  std::string expect_name() {
    if (cur().type != Tok::Name) error("expected a name, got '" + describe(cur()) + "'");
    return next().text;
  }
  void expect_block_end() {
    if (cur().type != Tok::BlockEnd) error("expected end of statement block, got '" + describe(cur()) + "'");
    next();
  }

  struct DepthGuard {
    explicit DepthGuard(Parser* p) : p_(p) {
      if (++p_->depth_ > kMaxParseDepth) {
        p_->error("template nesting too deep (more than " + std::to_string(kMaxParseDepth) + " levels)");
      }
    }
    ~DepthGuard() { --p_->depth_; }
    Parser* p_;
  };

  // Operator and postfix chains build left-deep trees without recursing here; bounding them
  // bounds the recursion of evaluating and destroying the tree.
  void grow(int* links) const {
    if (++*links > kMaxChain) error("expression too long (more than " + std::to_string(kMaxChain) + " chained operators)");
  }

  ExprPtr node(Expr::Kind kind, int line) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->line = line;
    return e;
  }

  // ---- statements ----

  // Parses until one of `stops` opens a tag; returns that tag's name (the name is consumed).
  std::string parse_body(Body* body, const std::set<std::string>& stops, const std::string& open,
                         int open_line) {
    while (true) {
      const Token& tok = cur();
      if (tok.type == Tok::End) {
        if (stops.empty()) return "";
        throw JinjaError{"'" + open + "' at line " + std::to_string(open_line) + " is never closed",
                         tok.line};
      }
      if (tok.type == Tok::Text) {
        StmtPtr s = make_stmt(Stmt::Kind::Text, tok.line);
        s->text = next().text;
        body->push_back(std::move(s));
      } else if (tok.type == Tok::VarBegin) {
        next();
        StmtPtr s = make_stmt(Stmt::Kind::Output, tok.line);
        s->expr = parse_tuple(true);
        if (cur().type != Tok::VarEnd) error("expected end of print statement, got '" + describe(cur()) + "'");
        next();
        body->push_back(std::move(s));
      } else {
        next();
        if (cur().type == Tok::Name && stops.count(cur().text)) return next().text;
        parse_statement(body);
      }
    }
  }

  void parse_statement(Body* body) {
    DepthGuard guard(this);
    if (cur().type != Tok::Name) error("expected a tag name, got '" + describe(cur()) + "'");
    const Token& tok = next();
    const std::string& tag = tok.text;
    int line = tok.line;
    if (tag == "if") return body->push_back(parse_if(line));
    if (tag == "for") return body->push_back(parse_for(line));
    if (tag == "set") return body->push_back(parse_set(line));
    if (tag == "macro") return body->push_back(parse_macro(line));
    if (tag == "call") return body->push_back(parse_call_block(line));
    if (tag == "filter") return body->push_back(parse_filter_block(line));
    if (tag == "generation") {  // transformers's tag for assistant masks: just its body
      expect_block_end();
      parse_body(body, {"endgeneration"}, "generation", line);
      return expect_block_end();
    }
    if (tag == "break" || tag == "continue") {
      if (loop_depth_ == 0) throw JinjaError{"'" + tag + "' outside a loop", line};
      StmtPtr s = make_stmt(tag == "break" ? Stmt::Kind::Break : Stmt::Kind::Continue, line);
      expect_block_end();
      return body->push_back(std::move(s));
    }
    if (kUnsupportedTags.count(tag)) throw JinjaError{"unsupported tag '" + tag + "'", line};
    if (kEndTags.count(tag)) throw JinjaError{"unexpected '" + tag + "'", line};
    throw JinjaError{"unknown tag '" + tag + "'", line};
  }

  StmtPtr make_stmt(Stmt::Kind kind, int line) {
    auto s = std::make_unique<Stmt>();
    s->kind = kind;
    s->line = line;
    return s;
  }

  StmtPtr parse_if(int line) {
    auto s = make_stmt(Stmt::Kind::If, line);
    ExprPtr cond = parse_tuple(false);
    while (true) {
      expect_block_end();
      Body body;
      std::string end = parse_body(&body, {"elif", "else", "endif"}, "if", line);
      s->branches.emplace_back(std::move(cond), std::move(body));
      if (end == "endif") break;
      if (end == "else") {
        expect_block_end();
        Body else_body;
        parse_body(&else_body, {"endif"}, "if", line);
        s->branches.emplace_back(nullptr, std::move(else_body));
        break;
      }
      cond = parse_tuple(false);
    }
    expect_block_end();
    return s;
  }

  Target parse_target(bool allow_attr) {
    Target target;
    bool paren = skip_op("(");
    target.names.push_back(expect_name());
    if (allow_attr && !paren && skip_op(".")) {
      target.attr = expect_name();
      return target;
    }
    while (skip_op(",")) {
      target.unpack = true;
      if (cur().type != Tok::Name || is_name("in")) break;
      target.names.push_back(expect_name());
    }
    if (paren) expect_op(")");
    return target;
  }

  StmtPtr parse_for(int line) {
    auto s = make_stmt(Stmt::Kind::For, line);
    s->target = parse_target(false);
    if (!skip_name("in")) error("expected 'in', got '" + describe(cur()) + "'");
    s->expr = parse_tuple(false);
    if (skip_name("if")) s->condition = parse_expression(true);
    if (is_name("recursive")) error("unsupported: recursive loops");
    expect_block_end();
    ++loop_depth_;
    std::string end = parse_body(&s->body, {"else", "endfor"}, "for", line);
    --loop_depth_;
    if (end == "else") {
      expect_block_end();
      parse_body(&s->else_body, {"endfor"}, "for", line);
    }
    expect_block_end();
    return s;
  }

  StmtPtr parse_set(int line) {
    auto s = make_stmt(Stmt::Kind::Set, line);
    s->target = parse_target(true);
    if (skip_op("=")) {
      s->expr = parse_tuple(true);
      expect_block_end();
      return s;
    }
    if (is_op("|")) error("unsupported: filters on a block set");
    if (s->target.unpack) error("a block set assigns one name");
    s->kind = Stmt::Kind::SetBlock;
    expect_block_end();
    parse_body(&s->body, {"endset"}, "set", line);
    expect_block_end();
    return s;
  }

  StmtPtr parse_macro(int line) {
    auto s = make_stmt(Stmt::Kind::Macro, line);
    s->text = expect_name();
    expect_op("(");
    while (!is_op(")")) {
      if (!s->params.empty()) expect_op(",");
      if (is_op(")")) break;
      std::string name = expect_name();
      ExprPtr def = skip_op("=") ? parse_expression(true) : nullptr;
      s->params.emplace_back(name, std::move(def));
    }
    next();
    expect_block_end();
    int saved = loop_depth_;
    loop_depth_ = 0;
    parse_body(&s->body, {"endmacro"}, "macro", line);
    loop_depth_ = saved;
    if (cur().type == Tok::Name && cur().text == s->text) next();
    expect_block_end();
    return s;
  }

  StmtPtr parse_call_block(int line) {
    auto s = make_stmt(Stmt::Kind::CallBlock, line);
    if (is_op("(")) error("unsupported: parameters of a call block");
    s->expr = parse_expression(true);
    if (s->expr->kind != Expr::Kind::Call) error("expected a call after 'call'");
    expect_block_end();
    int saved = loop_depth_;
    loop_depth_ = 0;
    parse_body(&s->body, {"endcall"}, "call", line);
    loop_depth_ = saved;
    expect_block_end();
    return s;
  }

  StmtPtr parse_filter_block(int line) {
    auto s = make_stmt(Stmt::Kind::FilterBlock, line);
    do {
      s->filters.push_back(parse_filter(nullptr));
    } while (skip_op("|"));
    expect_block_end();
    parse_body(&s->body, {"endfilter"}, "filter", line);
    expect_block_end();
    return s;
  }

  // ---- expressions ----

  // Comma-separated expressions make a tuple (`{{ a, b }}`, `for x in a, b`).
  ExprPtr parse_tuple(bool with_condexpr) {
    int line = cur().line;
    ExprPtr first = parse_expression(with_condexpr);
    if (!is_op(",")) return first;
    auto t = node(Expr::Kind::Tuple, line);
    t->args.push_back(std::move(first));
    while (skip_op(",")) {
      if (at_tuple_end()) break;
      t->args.push_back(parse_expression(with_condexpr));
    }
    return t;
  }

  bool at_tuple_end() const {
    return cur().type == Tok::VarEnd || cur().type == Tok::BlockEnd || is_op(")") ||
           is_name("if") || is_name("recursive") || cur().type == Tok::End;
  }

  ExprPtr parse_expression(bool with_condexpr) {
    DepthGuard guard(this);
    return with_condexpr ? parse_condexpr() : parse_or();
  }

  ExprPtr parse_condexpr() {
    ExprPtr expr = parse_or();
    int links = 0;
    while (is_name("if")) {
      grow(&links);
      auto c = node(Expr::Kind::Cond, next().line);
      ExprPtr cond = parse_or();
      ExprPtr other = skip_name("else") ? parse_condexpr() : nullptr;
      c->args.push_back(std::move(expr));
      c->args.push_back(std::move(cond));
      c->args.push_back(std::move(other));
      expr = std::move(c);
    }
    return expr;
  }

  ExprPtr binary(Expr::Kind kind, const std::string& op, ExprPtr a, ExprPtr b, int line) {
    auto e = node(kind, line);
    e->name = op;
    e->base = std::move(a);
    e->args.push_back(std::move(b));
    return e;
  }

  ExprPtr parse_or() {
    ExprPtr a = parse_and();
    int links = 0;
    while (is_name("or")) {
      grow(&links);
      int line = next().line;
      a = binary(Expr::Kind::Or, "or", std::move(a), parse_and(), line);
    }
    return a;
  }

  ExprPtr parse_and() {
    ExprPtr a = parse_not();
    int links = 0;
    while (is_name("and")) {
      grow(&links);
      int line = next().line;
      a = binary(Expr::Kind::And, "and", std::move(a), parse_not(), line);
    }
    return a;
  }

  ExprPtr parse_not() {
    if (!is_name("not")) return parse_compare();
    DepthGuard guard(this);
    auto e = node(Expr::Kind::Not, next().line);
    e->base = parse_not();
    return e;
  }

  // Comparisons, chained as Python chains them: a < b < c is (a < b) and (b < c).
  ExprPtr parse_compare() {
    int line = cur().line;
    ExprPtr first = parse_math1();
    auto cmp = node(Expr::Kind::Binary, line);
    cmp->name = "compare";
    cmp->base = std::move(first);
    for (int links = 0;; grow(&links)) {
      std::string op;
      if (cur().type == Tok::Op && (cur().text == "==" || cur().text == "!=" || cur().text == "<" ||
                                    cur().text == ">" || cur().text == "<=" || cur().text == ">=")) {
        op = next().text;
      } else if (skip_name("in")) {
        op = "in";
      } else if (is_name("not") && t_[pos_ + 1].type == Tok::Name && t_[pos_ + 1].text == "in") {
        next(), next();
        op = "not in";
      } else {
        break;
      }
      cmp->kwargs.emplace_back(op, parse_math1());
    }
    if (cmp->kwargs.empty()) return std::move(cmp->base);
    return cmp;
  }

  ExprPtr parse_math1() {
    ExprPtr a = parse_concat();
    int links = 0;
    while (is_op("+") || is_op("-")) {
      grow(&links);
      const Token& op = next();
      a = binary(Expr::Kind::Binary, op.text, std::move(a), parse_concat(), op.line);
    }
    return a;
  }

  ExprPtr parse_concat() {
    ExprPtr a = parse_math2();
    int links = 0;
    while (is_op("~")) {
      grow(&links);
      int line = next().line;
      a = binary(Expr::Kind::Binary, "~", std::move(a), parse_math2(), line);
    }
    return a;
  }

  ExprPtr parse_math2() {
    ExprPtr a = parse_pow();
    int links = 0;
    while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
      grow(&links);
      const Token& op = next();
      a = binary(Expr::Kind::Binary, op.text, std::move(a), parse_pow(), op.line);
    }
    return a;
  }

  // Left-associative as in Jinja (2 ** 3 ** 2 is 64, unlike Python).
  ExprPtr parse_pow() {
    ExprPtr a = parse_unary(true);
    int links = 0;
    while (is_op("**")) {
      grow(&links);
      int line = next().line;
      a = binary(Expr::Kind::Binary, "**", std::move(a), parse_unary(true), line);
    }
    return a;
  }

  ExprPtr parse_unary(bool with_filter) {
    DepthGuard guard(this);
    ExprPtr e;
    if (is_op("-") || is_op("+")) {
      Expr::Kind kind = is_op("-") ? Expr::Kind::Neg : Expr::Kind::Pos;
      e = node(kind, next().line);
      e->base = parse_unary(false);
    } else {
      e = parse_primary();
    }
    e = parse_postfix(std::move(e));
    if (with_filter) e = parse_filter_expr(std::move(e));
    return e;
  }

  ExprPtr literal(Value v, int line) {
    auto e = node(Expr::Kind::Literal, line);
    e->literal = std::move(v);
    return e;
  }

  ExprPtr parse_primary() {
    const Token& tok = cur();
    int line = tok.line;
    if (tok.type == Tok::Name) {
      next();
      const std::string& n = tok.text;
      if (n == "true" || n == "True") return literal(Value::boolean(true), line);
      if (n == "false" || n == "False") return literal(Value::boolean(false), line);
      if (n == "none" || n == "None") return literal(Value::none(), line);
      auto e = node(Expr::Kind::Name, line);
      e->name = n;
      return e;
    }
    if (tok.type == Tok::String) {
      std::string s;
      while (cur().type == Tok::String) s += next().text;
      return literal(Value::str(std::move(s)), line);
    }
    if (tok.type == Tok::Int) {
      next();
      errno = 0;
      long long v = std::strtoll(tok.text.c_str(), nullptr, 10);
      if (errno == ERANGE) throw JinjaError{"integer literal too large: " + tok.text, line};
      return literal(Value::integer(v), line);
    }
    if (tok.type == Tok::Float) return next(), literal(Value::number(std::strtod(tok.text.c_str(), nullptr)), line);
    if (skip_op("(")) {
      if (skip_op(")")) return node(Expr::Kind::Tuple, line);
      ExprPtr e = parse_tuple(true);
      expect_op(")");
      return e;
    }
    if (skip_op("[")) return parse_sequence(node(Expr::Kind::List, line), "]");
    if (skip_op("{")) return parse_dict(line);
    unexpected();
  }

  ExprPtr parse_sequence(ExprPtr e, const char* close) {
    while (!is_op(close)) {
      if (!e->args.empty()) expect_op(",");
      if (is_op(close)) break;
      e->args.push_back(parse_expression(true));
    }
    next();
    return e;
  }

  ExprPtr parse_dict(int line) {
    auto e = node(Expr::Kind::Dict, line);
    while (!is_op("}")) {
      if (!e->args.empty()) expect_op(",");
      if (is_op("}")) break;
      e->args.push_back(parse_expression(true));
      expect_op(":");
      e->args.push_back(parse_expression(true));
    }
    next();
    return e;
  }

  ExprPtr parse_postfix(ExprPtr e) {
    for (int links = 0;; grow(&links)) {
      int line = cur().line;
      if (skip_op(".")) {
        if (cur().type == Tok::Int) {
          auto item = node(Expr::Kind::Item, line);
          item->base = std::move(e);
          item->args.push_back(literal(Value::integer(std::stoll(next().text)), line));
          e = std::move(item);
          continue;
        }
        auto attr = node(Expr::Kind::Attr, line);
        attr->name = expect_name();
        attr->base = std::move(e);
        e = std::move(attr);
      } else if (skip_op("[")) {
        e = parse_subscript(std::move(e), line);
      } else if (is_op("(")) {
        e = parse_call(std::move(e));
      } else {
        return e;
      }
    }
  }

  ExprPtr parse_subscript(ExprPtr obj, int line) {
    ExprPtr parts[3];
    int part = 0;
    bool is_slice = false;
    while (true) {
      if (!is_op(":") && !is_op("]")) parts[part] = parse_expression(true);
      if (!skip_op(":")) break;
      is_slice = true;
      if (++part > 2) error("too many ':' in a slice");
    }
    expect_op("]");
    auto e = node(is_slice ? Expr::Kind::Slice : Expr::Kind::Item, line);
    e->base = std::move(obj);
    if (!is_slice && !parts[0]) error("expected an index inside '[]'");
    for (int k = 0; k < (is_slice ? 3 : 1); ++k) e->args.push_back(std::move(parts[k]));
    return e;
  }

  // `(a, b, k=v)` after a callee, a filter or a test.
  void parse_args(Expr* e) {
    expect_op("(");
    while (!is_op(")")) {
      if (!e->args.empty() || !e->kwargs.empty()) expect_op(",");
      if (is_op(")")) break;
      if (is_op("*") || is_op("**")) error("unsupported: *args and **kwargs in a call");
      if (cur().type == Tok::Name && t_[pos_ + 1].type == Tok::Op && t_[pos_ + 1].text == "=") {
        std::string name = next().text;
        next();
        e->kwargs.emplace_back(name, parse_expression(true));
      } else {
        if (!e->kwargs.empty()) error("a positional argument follows keyword arguments");
        e->args.push_back(parse_expression(true));
      }
    }
    next();
  }

  ExprPtr parse_call(ExprPtr callee) {
    auto e = node(Expr::Kind::Call, cur().line);
    e->base = std::move(callee);
    parse_args(e.get());
    return e;
  }

  ExprPtr parse_filter_expr(ExprPtr e) {
    for (int links = 0;; grow(&links)) {
      if (skip_op("|")) {
        e = parse_filter(std::move(e));
      } else if (is_name("is")) {
        e = parse_test(std::move(e));
      } else if (is_op("(")) {
        e = parse_call(std::move(e));
      } else {
        return e;
      }
    }
  }

  // One filter `name` or `name(args)`; `base` is null in a filter block.
  ExprPtr parse_filter(ExprPtr base) {
    auto f = node(Expr::Kind::Filter, cur().line);
    f->name = expect_name();
    f->filter = find_filter(f->name);
    if (!f->filter) throw JinjaError{"no filter named '" + f->name + "'", f->line};
    f->base = std::move(base);
    if (is_op("(")) parse_args(f.get());
    return f;
  }

  ExprPtr parse_test(ExprPtr value) {
    int line = next().line;
    bool negated = skip_name("not");
    auto t = node(Expr::Kind::Test, line);
    t->name = expect_name();
    t->test = find_test(t->name);
    if (!t->test) throw JinjaError{"no test named '" + t->name + "'", line};
    t->base = std::move(value);
    t->negated = negated;
    const Token& c = cur();
    // A bare argument (`is divisibleby 3`). Jinja also takes `if`, `in`, `not` and `is` as a
    // (meaningless) name there and then fails; they end the test here.
    if (is_op("(")) {
      parse_args(t.get());
    } else if ((c.type == Tok::Name || c.type == Tok::String || c.type == Tok::Int ||
                c.type == Tok::Float || is_op("[") || is_op("{")) &&
               !is_name("else") && !is_name("or") && !is_name("and") && !is_name("if") &&
               !is_name("in") && !is_name("not") && !is_name("is")) {
      t->args.push_back(parse_postfix(parse_primary()));
    }
    return t;
  }

  const std::vector<Token>& t_;
  size_t pos_ = 0;
  int depth_ = 0;
  int loop_depth_ = 0;
};

}  // namespace

std::unique_ptr<Program> parse_tokens(const std::vector<Token>& tokens) { return Parser(tokens).run(); }

}  // namespace stepcoder::model::jinja
