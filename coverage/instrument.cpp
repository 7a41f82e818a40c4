// The instrumenter: walks the Clang AST of every function and lambda body written in the
// program, plans a counter before each statement (braces around single-statement bodies,
// counters after labels so jumps still count), then applies the insertions to the original
// text. Only text is inserted and never a newline, so every line keeps its number.
#include "coverage/instrument.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <tuple>

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "coverage/clang_parse.h"
#include "coverage/runtime.h"
#include "sandbox/judge.h"

namespace stepcoder::coverage {

size_t Instrumented::shared_bytes() const { return shared_bytes_for(counters); }

namespace {

using namespace clang;

// A statement to count, before renumbering: [begin, end) in the program.
struct StmtSite {
  size_t begin, end;
  int function;
  bool wrap;  // single-statement body: "{" + counter before it, "}" after it
};

struct FuncSite {
  std::string name;
  size_t begin, end;
  size_t name_at;
  size_t entry;           // just after the body's "{"
  int alias_stmt = -1;    // site index of a first statement that runs on every entry
  bool is_lambda = false;
};

enum class Mode { InList, Body, NoInsert };

class Planner {
 public:
  Planner(ASTContext& ctx, const std::string& program)
      : sm_(ctx.getSourceManager()), lo_(ctx.getLangOpts()), text_(program) {}

  void add_function(const FunctionDecl* fd);
  void add_lambda(const LambdaExpr* le);

  std::vector<StmtSite> stmts;
  std::vector<FuncSite> funcs;
  std::vector<std::pair<size_t, size_t>> braces;  // extra {} around labelled bodies

 private:
  std::optional<size_t> begin_offset(SourceLocation loc) const;
  std::optional<size_t> end_offset(SourceLocation loc) const;
  std::optional<size_t> stmt_end(const Stmt* s) const;
  size_t skip_blank(size_t p) const;
  void add_body(const CompoundStmt* body, SourceLocation begin, SourceLocation name_loc,
                SourceLocation end, std::string name, bool is_lambda);
  void visit(const Stmt* s, int fn, Mode mode);
  void visit_children(const Stmt* s, int fn);

  const SourceManager& sm_;
  const LangOptions& lo_;
  const std::string& text_;
  std::set<size_t> seen_;  // entry offsets of bodies planned (instantiations share them)
};

// Offset of `loc` when it is written in the main file or starts a macro expansion there.
std::optional<size_t> Planner::begin_offset(SourceLocation loc) const {
  while (loc.isMacroID()) {
    SourceLocation start;
    if (!Lexer::isAtStartOfMacroExpansion(loc, sm_, lo_, &start)) return std::nullopt;
    loc = start;
  }
  if (loc.isInvalid() || sm_.getFileID(loc) != sm_.getMainFileID()) return std::nullopt;
  return sm_.getFileOffset(loc);
}

// Offset just past the token at `loc` (written in the main file or ending a macro expansion).
std::optional<size_t> Planner::end_offset(SourceLocation loc) const {
  while (loc.isMacroID()) {
    SourceLocation end;
    if (!Lexer::isAtEndOfMacroExpansion(loc, sm_, lo_, &end)) return std::nullopt;
    loc = end;
  }
  if (loc.isInvalid() || sm_.getFileID(loc) != sm_.getMainFileID()) return std::nullopt;
  SourceLocation after = Lexer::getLocForEndOfToken(loc, 0, sm_, lo_);
  if (after.isInvalid()) return std::nullopt;
  return sm_.getFileOffset(after);
}

// Skips white space and comments.
size_t Planner::skip_blank(size_t p) const {
  while (p < text_.size()) {
    if (std::isspace(static_cast<unsigned char>(text_[p]))) {
      ++p;
    } else if (text_.compare(p, 2, "//") == 0) {
      p = text_.find('\n', p);
      if (p == std::string::npos) return text_.size();
    } else if (text_.compare(p, 2, "/*") == 0) {
      size_t q = text_.find("*/", p + 2);
      if (q == std::string::npos) return text_.size();
      p = q + 2;
    } else {
      break;
    }
  }
  return p;
}

// End of a statement including its terminating semicolon, which Clang's ranges leave out.
std::optional<size_t> Planner::stmt_end(const Stmt* s) const {
  if (const auto* i = dyn_cast<IfStmt>(s)) return stmt_end(i->getElse() ? i->getElse() : i->getThen());
  if (const auto* f = dyn_cast<ForStmt>(s)) return stmt_end(f->getBody());
  if (const auto* r = dyn_cast<CXXForRangeStmt>(s)) return stmt_end(r->getBody());
  if (const auto* w = dyn_cast<WhileStmt>(s)) return stmt_end(w->getBody());
  if (const auto* sw = dyn_cast<SwitchStmt>(s)) return stmt_end(sw->getBody());
  if (const auto* l = dyn_cast<LabelStmt>(s)) return stmt_end(l->getSubStmt());
  if (const auto* c = dyn_cast<SwitchCase>(s)) return stmt_end(c->getSubStmt());
  if (const auto* a = dyn_cast<AttributedStmt>(s)) return stmt_end(a->getSubStmt());
  std::optional<size_t> e = end_offset(s->getEndLoc());
  if (!e || isa<CompoundStmt>(s) || isa<CXXTryStmt>(s)) return e;
  if (*e > 0 && text_[*e - 1] == ';') return e;  // declarations and null statements
  size_t p = skip_blank(*e);
  if (p < text_.size() && text_[p] == ';') return p + 1;
  return e;
}

void Planner::add_function(const FunctionDecl* fd) {
  if (!fd->doesThisDeclarationHaveABody() || fd->isImplicit() || fd->isDefaulted() ||
      fd->isDeleted() || fd->isConstexpr() || fd->isTemplateInstantiation())
    return;  // a counter would make a constexpr function unusable in constant expressions
  if (const auto* m = dyn_cast<CXXMethodDecl>(fd); m && m->getParent()->isLambda()) return;
  const CompoundStmt* body = dyn_cast_or_null<CompoundStmt>(fd->getBody());
  if (const auto* t = dyn_cast_or_null<CXXTryStmt>(fd->getBody())) body = t->getTryBlock();
  if (!body) return;
  SourceLocation begin = fd->getBeginLoc();
  if (const auto* tmpl = fd->getDescribedFunctionTemplate()) begin = tmpl->getBeginLoc();
  add_body(body, begin, fd->getLocation(), fd->getBody()->getEndLoc(),
           fd->getQualifiedNameAsString(), false);
  if (const auto* t = dyn_cast<CXXTryStmt>(fd->getBody()); t && !funcs.empty()) {
    for (unsigned i = 0; i < t->getNumHandlers(); ++i)
      visit(t->getHandler(i)->getHandlerBlock(), static_cast<int>(funcs.size()) - 1, Mode::InList);
  }
}

void Planner::add_lambda(const LambdaExpr* le) {
  const CompoundStmt* body = le->getCompoundStmtBody();
  if (!body) return;
  auto b = begin_offset(le->getBeginLoc());
  auto lb = begin_offset(body->getLBracLoc());
  // An explicitly constexpr lambda keeps its promise: no counters.
  if (b && lb && *lb > *b) {
    std::string head = text_.substr(*b, *lb - *b);
    if (head.find("constexpr") != std::string::npos || head.find("consteval") != std::string::npos)
      return;
  }
  PresumedLoc p = sm_.getPresumedLoc(sm_.getExpansionLoc(le->getBeginLoc()));
  std::string name = "lambda@" + std::to_string(p.isValid() ? p.getLine() : 0) + ":" +
                     std::to_string(p.isValid() ? p.getColumn() : 0);
  add_body(body, le->getBeginLoc(), le->getBeginLoc(), le->getEndLoc(), name, true);
}

void Planner::add_body(const CompoundStmt* body, SourceLocation begin, SourceLocation name_loc,
                       SourceLocation end, std::string name, bool is_lambda) {
  auto b = begin_offset(begin);
  auto e = end_offset(end);
  auto entry = end_offset(body->getLBracLoc());
  if (!entry || !e) return;  // a body spelled inside a macro cannot take insertions
  if (!seen_.insert(*entry).second) return;
  size_t start = b ? *b : *entry - 1;
  auto at = begin_offset(name_loc);
  if (!at) at = sm_.getFileOffset(sm_.getExpansionLoc(name_loc));
  FuncSite f{std::move(name), start, *e, *at, *entry, -1, is_lambda};
  int fn = static_cast<int>(funcs.size());
  funcs.push_back(std::move(f));
  size_t first_site = stmts.size();
  const Stmt* first = body->body_empty() ? nullptr : body->body_front();
  for (const Stmt* c : body->body()) visit(c, fn, Mode::InList);
  // The first statement's counter also counts entries, unless a label could re-run it.
  bool plain = first && !isa<NullStmt>(first) && !isa<LabelStmt>(first) &&
               !isa<SwitchCase>(first) && !isa<CompoundStmt>(first) && !isa<AttributedStmt>(first);
  if (plain && stmts.size() > first_site && stmts[first_site].begin == begin_offset(first->getBeginLoc()))
    funcs[fn].alias_stmt = static_cast<int>(first_site);
}

void Planner::visit(const Stmt* s, int fn, Mode mode) {
  if (!s || isa<NullStmt>(s)) return;
  // A block written in the program is walked; one that a macro spells is a single statement.
  if (const auto* cs = dyn_cast<CompoundStmt>(s); cs && cs->getLBracLoc().isFileID()) {
    for (const Stmt* c : cs->body()) visit(c, fn, Mode::InList);
    return;
  }
  const auto* attributed = dyn_cast<AttributedStmt>(s);
  if (attributed && isa<NullStmt>(attributed->getSubStmt())) return;  // [[fallthrough]];
  if (isa<LabelStmt>(s) || isa<SwitchCase>(s)) {
    // The counter goes after the label, so a goto or case jump to it is counted too.
    const Stmt* sub = isa<LabelStmt>(s) ? cast<LabelStmt>(s)->getSubStmt()
                                        : cast<SwitchCase>(s)->getSubStmt();
    Mode sub_mode = mode;
    if (mode == Mode::Body) {
      auto b = begin_offset(s->getBeginLoc());
      auto e = stmt_end(s);
      if (b && e) braces.emplace_back(*b, *e);
      sub_mode = (b && e) ? Mode::InList : Mode::NoInsert;
    }
    visit(sub, fn, sub_mode);
    return;
  }
  if (mode != Mode::NoInsert) {
    auto b = begin_offset(s->getBeginLoc());
    auto e = stmt_end(s);
    if (b && e && *e > *b) {
      stmts.push_back({*b, *e, fn, mode == Mode::Body});
    } else if (b && mode == Mode::InList) {
      // Begins a macro expansion that holds more than this statement: count it from the
      // macro's start and let its span run to the end of the expansion.
      auto me = end_offset(sm_.getExpansionRange(s->getEndLoc()).getEnd());
      stmts.push_back({*b, me && *me > *b ? *me : *b, fn, false});
    }
  }
  visit_children(attributed ? attributed->getSubStmt() : s, fn);
}

void Planner::visit_children(const Stmt* s, int fn) {
  if (const auto* i = dyn_cast<IfStmt>(s)) {
    visit(i->getThen(), fn, Mode::Body);
    visit(i->getElse(), fn, Mode::Body);
  } else if (const auto* f = dyn_cast<ForStmt>(s)) {
    visit(f->getBody(), fn, Mode::Body);
  } else if (const auto* r = dyn_cast<CXXForRangeStmt>(s)) {
    visit(r->getBody(), fn, Mode::Body);
  } else if (const auto* w = dyn_cast<WhileStmt>(s)) {
    visit(w->getBody(), fn, Mode::Body);
  } else if (const auto* d = dyn_cast<DoStmt>(s)) {
    visit(d->getBody(), fn, Mode::Body);
  } else if (const auto* sw = dyn_cast<SwitchStmt>(s)) {
    visit(sw->getBody(), fn, Mode::Body);
  } else if (const auto* t = dyn_cast<CXXTryStmt>(s)) {
    visit(t->getTryBlock(), fn, Mode::InList);
    for (unsigned k = 0; k < t->getNumHandlers(); ++k)
      visit(t->getHandler(k)->getHandlerBlock(), fn, Mode::InList);
  }
}

class Finder : public RecursiveASTVisitor<Finder> {
 public:
  explicit Finder(Planner& p) : p_(p) {}
  bool VisitFunctionDecl(FunctionDecl* fd) {
    p_.add_function(fd);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr* le) {
    p_.add_lambda(le);
    return true;
  }

 private:
  Planner& p_;
};

}  // namespace

namespace {

// 1-based line and column of byte offsets.
class LineIndex {
 public:
  explicit LineIndex(const std::string& text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }
  std::pair<int, int> at(size_t off) const {
    size_t line = std::upper_bound(starts_.begin(), starts_.end(), off) - starts_.begin();
    return {static_cast<int>(line), static_cast<int>(off - starts_[line - 1] + 1)};
  }
  SourceSpan span(size_t begin, size_t end) const {
    SourceSpan s;
    s.begin = begin;
    s.end = end;
    std::tie(s.line, s.column) = at(begin);
    std::tie(s.end_line, s.end_column) = at(end > begin ? end - 1 : begin);
    return s;
  }

 private:
  std::vector<size_t> starts_;
};

struct Insertion {
  size_t offset;
  int rank;  // closing braces (0) before openings and counters (1) at one offset
  size_t seq;
  std::string text;
};

struct Plan {
  std::vector<StmtSite> stmts;
  std::vector<FuncSite> funcs;
  std::vector<std::pair<size_t, size_t>> braces;
};

// Indices of sites sorted by position, an enclosing site before the ones it contains.
template <class Site>
std::vector<size_t> outer_first(const std::vector<Site>& sites) {
  std::vector<size_t> order(sites.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Site &x = sites[a], &y = sites[b];
    return x.begin != y.begin ? x.begin < y.begin : x.end > y.end;
  });
  return order;
}

std::string apply_insertions(const std::string& program, std::vector<Insertion> ins,
                             std::string out) {
  std::stable_sort(ins.begin(), ins.end(), [](const Insertion& a, const Insertion& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    return a.rank != b.rank ? a.rank < b.rank : a.seq < b.seq;
  });
  size_t pos = 0;
  for (const Insertion& i : ins) {
    out.append(program, pos, i.offset - pos);
    out += i.text;
    pos = i.offset;
  }
  out.append(program, pos, std::string::npos);
  return out;
}

// Numbers counters in order of their insertion points (so the text reads __sc_inc(0), (1), ...)
// and lists the text to insert. Functions whose first statement counts their entries share
// that statement's counter.
std::vector<Insertion> number_counters(const Plan& plan, const std::vector<size_t>& forder,
                                       const std::vector<size_t>& sorder, uint32_t* counters,
                                       std::vector<uint32_t>* fcounter,
                                       std::vector<uint32_t>* scounter) {
  struct Site { size_t offset; int kind; size_t index; };  // kind 0: entry, 1: statement
  std::vector<Site> sites;
  for (size_t i : forder)
    if (plan.funcs[i].alias_stmt < 0) sites.push_back({plan.funcs[i].entry, 0, i});
  for (size_t i : sorder) sites.push_back({plan.stmts[i].begin, 1, i});
  std::stable_sort(sites.begin(), sites.end(), [](const Site& a, const Site& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.kind < b.kind;
  });
  fcounter->assign(plan.funcs.size(), 0);
  scounter->assign(plan.stmts.size(), 0);
  std::vector<Insertion> ins;
  for (const Site& s : sites) {
    uint32_t id = (*counters)++;
    if (s.kind == 0) {
      (*fcounter)[s.index] = id;
      ins.push_back({s.offset, 1, ins.size(), counter_increment(id)});
      continue;
    }
    const StmtSite& st = plan.stmts[s.index];
    (*scounter)[s.index] = id;
    ins.push_back({st.begin, 1, ins.size(), (st.wrap ? "{" : "") + counter_increment(id)});
    if (st.wrap) ins.push_back({st.end, 0, ins.size(), "}"});
  }
  for (const auto& [b, e] : plan.braces) {
    ins.push_back({b, 1, ins.size(), "{"});
    ins.push_back({e, 0, ins.size(), "}"});
  }
  for (size_t i = 0; i < plan.funcs.size(); ++i)
    if (plan.funcs[i].alias_stmt >= 0) (*fcounter)[i] = (*scounter)[plan.funcs[i].alias_stmt];
  return ins;
}

Instrumented assemble(const std::string& program, const Plan& plan) {
  Instrumented out;
  out.program = program;
  std::vector<size_t> forder = outer_first(plan.funcs), sorder = outer_first(plan.stmts);
  std::vector<uint32_t> fcounter, scounter;
  std::vector<Insertion> ins =
      number_counters(plan, forder, sorder, &out.counters, &fcounter, &scounter);
  LineIndex lines(program);
  std::vector<int> fnew(forder.size());
  for (size_t i = 0; i < forder.size(); ++i) fnew[forder[i]] = static_cast<int>(i);
  for (size_t i : forder) {
    const FuncSite& f = plan.funcs[i];
    out.functions.push_back(
        {f.name, lines.span(f.begin, f.end), lines.at(f.name_at).first, fcounter[i], f.is_lambda});
  }
  for (size_t i : sorder) {
    const StmtSite& st = plan.stmts[i];
    out.statements.push_back({scounter[i], lines.span(st.begin, st.end), fnew[st.function]});
  }
  out.source = apply_insertions(program, std::move(ins),
                                runtime_prelude(out.counters, sandbox::kSharedFd));
  return out;
}

}  // namespace

Expected<Instrumented> instrument(const std::string& program, const InstrumentOptions& opts) {
  Plan plan;
  Status st = parse_program(program, opts, [&](ASTContext& ctx, const std::vector<Decl*>& decls) {
    Planner p(ctx, program);
    Finder finder(p);
    for (Decl* d : decls) finder.TraverseDecl(d);
    plan = {std::move(p.stmts), std::move(p.funcs), std::move(p.braces)};
  });
  if (!st) return Error("program does not parse: " + st.error());
  return assemble(program, plan);
}

}  // namespace stepcoder::coverage
