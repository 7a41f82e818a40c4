// Split points from Clang's AST (see splitter.h). The only file of curriculum/ that includes
// Clang headers: the parse goes through coverage::parse_program, so a solution splits exactly
// when the instrumenter can parse it, and both share one precompiled <bits/stdc++.h>.
#include <algorithm>
#include <set>

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/Version.h"
#include "coverage/clang_parse.h"
#include "curriculum/splitter.h"

namespace stepcoder::curriculum {
namespace {

bool is_control(const clang::Stmt* s) {
  return llvm::isa<clang::IfStmt>(s) || llvm::isa<clang::ForStmt>(s) || llvm::isa<clang::CXXForRangeStmt>(s) ||
         llvm::isa<clang::WhileStmt>(s) || llvm::isa<clang::DoStmt>(s) || llvm::isa<clang::SwitchStmt>(s);
}

// Collects the program offsets where split statements begin. Statements are visited parent
// first, so an `if` marks its `else if` before the visitor reaches it.
class PointFinder : public clang::RecursiveASTVisitor<PointFinder> {
 public:
  PointFinder(const clang::SourceManager& sm, bool control) : sm_(sm), control_(control) {}

  bool VisitStmt(clang::Stmt* s) {
    if (control_) {
      if (const auto* ifs = llvm::dyn_cast<clang::IfStmt>(s))
        if (const auto* chained = llvm::dyn_cast_or_null<clang::IfStmt>(ifs->getElse())) else_ifs_.insert(chained);
      if (is_control(s) && !else_ifs_.count(s)) add(s);
    } else if (const auto* block = llvm::dyn_cast<clang::CompoundStmt>(s)) {
      for (const clang::Stmt* child : block->body()) add(child);
    }
    return true;
  }

  const std::vector<size_t>& offsets() const { return offsets_; }

 private:
  void add(const clang::Stmt* s) {
    clang::SourceLocation loc = sm_.getExpansionLoc(s->getBeginLoc());
    if (loc.isValid() && sm_.isInMainFile(loc)) offsets_.push_back(sm_.getFileOffset(loc));
  }

  const clang::SourceManager& sm_;
  bool control_;
  std::set<const clang::Stmt*> else_ifs_;
  std::vector<size_t> offsets_;
};

// The first byte after the indentation of the line starting at `line`. The indentation goes
// with the given prefix because the tokenizer reads a newline and the indentation after it as
// one token: a prompt cut at the line start would end on a bare newline, which the model only
// ever sees at the end of a function signature, not inside a body (measured: 0 of 64 stage-1
// completions passed with such prompts).
size_t past_indent(const std::string& text, size_t line) {
  while (line < text.size() && (text[line] == ' ' || text[line] == '\t')) ++line;
  return line;
}

// Solution offsets of the lines that hold `offsets` (program offsets), past their indentation,
// inside the solution and after its first line (a cut there would give the whole program again).
std::vector<size_t> line_points(const tasks::Problem& p, const std::string& program, const std::vector<size_t>& offsets) {
  std::set<size_t> points;
  for (size_t off : offsets) {
    size_t nl = off == 0 ? std::string::npos : program.rfind('\n', off - 1);
    size_t line = nl == std::string::npos ? 0 : nl + 1;
    if (line > p.prompt.size() && line < program.size()) points.insert(past_indent(program, line) - p.prompt.size());
  }
  return {points.begin(), points.end()};
}

// Every non-blank line of the solution after its first, past its indentation.
std::vector<size_t> text_lines(const std::string& solution) {
  std::vector<size_t> points;
  for (size_t i = 0; i + 1 < solution.size(); ++i) {
    if (solution[i] != '\n') continue;
    size_t end = solution.find('\n', i + 1);
    std::string line = solution.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
    if (line.find_first_not_of(" \t\r") != std::string::npos) points.push_back(past_indent(solution, i + 1));
  }
  return points;
}

}  // namespace

// The point convention is part of it, so caches of line-start points are not reused.
std::string splitter_fingerprint() { return clang::getClangFullVersion() + "; points past the indentation"; }

Expected<std::vector<size_t>> find_split_points(const tasks::Problem& p, const std::string& kind) {
  if (!is_split_kind(kind)) return Error("unknown split kind '" + kind + "' (control, statement or line)");
  if (p.canonical_solution.empty()) return Error("no canonical solution");
  const std::string program = p.canonical_program();
  std::vector<size_t> offsets;
  // Every kind parses, so the problems that get a curriculum are the same whichever kind an
  // ablation picks.
  coverage::AstCallback collect = [&](clang::ASTContext& ctx, const std::vector<clang::Decl*>& decls) {
    PointFinder finder(ctx.getSourceManager(), kind == "control");
    for (clang::Decl* d : decls) finder.TraverseDecl(d);
    offsets = finder.offsets();
  };
  if (Status st = coverage::parse_program(program, coverage::InstrumentOptions{}, collect); !st)
    return Error("does not parse: " + st.error());
  if (kind == "line") return text_lines(p.canonical_solution);
  return line_points(p, program, offsets);
}

}  // namespace stepcoder::curriculum
