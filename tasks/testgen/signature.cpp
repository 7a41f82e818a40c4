// Signature mining with Clang: see signature.h. The only file of tasks/ that includes Clang
// headers; Clang reports problems through diagnostics, never exceptions.
#include "tasks/testgen/signature.h"

#include <algorithm>
#include <regex>

#include "tasks/entry_point.h"
#include "tasks/problem.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#ifndef STEPCODER_CLANG_RESOURCE_DIR
#define STEPCODER_CLANG_RESOURCE_DIR ""
#endif

namespace stepcoder::tasks {

namespace {

TypeSpec unsupported(const std::string& what) {
  TypeSpec t;
  t.spelling = what;
  return t;
}

TypeSpec map_type(clang::QualType qt, const clang::ASTContext& ctx) {
  clang::QualType t = qt.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  if (const auto* bt = t->getAs<clang::BuiltinType>()) {
    TypeSpec s;
    s.spelling = bt->getName(ctx.getPrintingPolicy()).str();
    if (bt->getKind() == clang::BuiltinType::Bool) {
      s.kind = TypeSpec::Kind::Bool;
    } else if (bt->isCharType()) {
      s.kind = TypeSpec::Kind::Char;
      s.spelling = "char";
    } else if (bt->isInteger()) {
      s.kind = TypeSpec::Kind::Int;
      s.is_unsigned = bt->isUnsignedInteger();
    } else if (bt->isFloatingPoint()) {
      s.kind = TypeSpec::Kind::Float;
    } else {
      return unsupported(s.spelling);
    }
    return s;
  }
  const auto* spec = llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(t->getAsCXXRecordDecl());
  if (spec && spec->isInStdNamespace() && spec->getTemplateArgs().size() > 0 &&
      spec->getTemplateArgs()[0].getKind() == clang::TemplateArgument::Type) {
    clang::QualType arg = spec->getTemplateArgs()[0].getAsType();
    if (spec->getName() == "basic_string" && arg->isCharType()) {
      TypeSpec s;
      s.kind = TypeSpec::Kind::String;
      s.spelling = "string";
      return s;
    }
    if (spec->getName() == "vector") {
      TypeSpec e = map_type(arg, ctx);
      if (e.kind == TypeSpec::Kind::Unsupported) return unsupported("vector<" + e.spelling + ">");
      TypeSpec s;
      s.kind = TypeSpec::Kind::Vector;
      s.spelling = "vector<" + e.spelling + ">";
      s.elem.push_back(std::move(e));
      return s;
    }
  }
  return unsupported(qt.getAsString(ctx.getPrintingPolicy()));
}

Signature from_decl(const clang::FunctionDecl& fn, const clang::ASTContext& ctx) {
  Signature sig;
  sig.name = fn.getNameAsString();
  if (fn.isInvalidDecl()) sig.unsupported = "the declaration does not parse";
  sig.ret = map_type(fn.getReturnType(), ctx);
  if (sig.unsupported.empty() && sig.ret.kind == TypeSpec::Kind::Unsupported) {
    sig.unsupported = "return type " + sig.ret.spelling;
  }
  for (const clang::ParmVarDecl* p : fn.parameters()) {
    ParamSpec ps;
    ps.name = p->getNameAsString();
    ps.type = map_type(p->getType(), ctx);
    clang::QualType t = p->getType();
    ps.mutable_ref = t->isLValueReferenceType() && !t.getNonReferenceType().isConstQualified();
    if (sig.unsupported.empty() && ps.type.kind == TypeSpec::Kind::Unsupported) {
      sig.unsupported = "parameter " + ps.name + ": " + ps.type.spelling;
    }
    sig.params.push_back(std::move(ps));
  }
  return sig;
}

}  // namespace

Expected<std::vector<Signature>> mine_signatures(const std::vector<std::string>& declarations) {
  std::string code = "#include <bits/stdc++.h>\nusing namespace std;\n";
  for (size_t i = 0; i < declarations.size(); ++i) {
    code += "namespace stepcoder_sig_" + std::to_string(i) + " {\n" + declarations[i] + ";\n}\n";
  }
  std::vector<std::string> args = {"-std=c++17", "-xc++", "-w", "-ferror-limit=0"};
  std::string rd = STEPCODER_CLANG_RESOURCE_DIR;
  if (!rd.empty()) args.push_back("-resource-dir=" + rd);
  clang::IgnoringDiagConsumer quiet;
  std::unique_ptr<clang::ASTUnit> ast = clang::tooling::buildASTFromCodeWithArgs(
      code, args, "signatures.cpp", "stepcoder", std::make_shared<clang::PCHContainerOperations>(),
      clang::tooling::getClangStripDependencyFileAdjuster(), clang::tooling::FileContentMappings(), &quiet);
  if (!ast) return Error("mining signatures: Clang could not parse the declarations");
  std::vector<Signature> out(declarations.size());
  for (Signature& s : out) s.unsupported = "the declaration does not parse";
  for (const clang::Decl* d : ast->getASTContext().getTranslationUnitDecl()->decls()) {
    const auto* ns = llvm::dyn_cast<clang::NamespaceDecl>(d);
    if (!ns || !ns->getName().startswith("stepcoder_sig_")) continue;
    size_t index = std::stoul(ns->getName().substr(14).str());
    for (const clang::Decl* inner : ns->decls()) {
      if (const auto* fn = llvm::dyn_cast<clang::FunctionDecl>(inner)) {
        out[index] = from_decl(*fn, ast->getASTContext());
      }
    }
  }
  return out;
}

}  // namespace stepcoder::tasks
