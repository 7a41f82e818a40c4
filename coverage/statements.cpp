// Statement starts from Clang's AST (see statements.h).
#include "coverage/statements.h"

#include <set>

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/Version.h"
#include "coverage/clang_parse.h"

namespace stepcoder::coverage {
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

}  // namespace

Expected<std::vector<size_t>> statement_starts(const std::string& program, StatementKind kind,
                                               const InstrumentOptions& opts) {
  std::vector<size_t> offsets;
  AstCallback collect = [&](clang::ASTContext& ctx, const std::vector<clang::Decl*>& decls) {
    PointFinder finder(ctx.getSourceManager(), kind == StatementKind::Control);
    for (clang::Decl* d : decls) finder.TraverseDecl(d);
    offsets = finder.offsets();
  };
  if (Status st = parse_program(program, opts, collect); !st) return Error(st.error());
  return offsets;
}

std::string front_end_version() { return clang::getClangFullVersion(); }

}  // namespace stepcoder::coverage
