// Signature mining with Clang: see signature.h. The only file of tasks/ that includes Clang
// headers; Clang reports problems through diagnostics, never exceptions.
#include "tasks/signature.h"

#include <algorithm>
#include <regex>

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

// Which bytes of `code` lie in comments or string and character literals: prompts show calls
// of the entry point in their docstrings, before the declaration or inside its body.
std::vector<bool> commented(const std::string& code) {
  std::vector<bool> in(code.size(), false);
  for (size_t i = 0; i < code.size();) {
    size_t end = i + 1;
    if (code.compare(i, 2, "//") == 0) {
      end = code.find('\n', i);
    } else if (code.compare(i, 2, "/*") == 0) {
      end = code.find("*/", i + 2);
      if (end != std::string::npos) end += 2;
    } else if (code[i] == '"' || code[i] == '\'') {
      for (end = i + 1; end < code.size() && code[end] != code[i] && code[end] != '\n'; ++end)
        if (code[end] == '\\') ++end;
      ++end;
    } else {
      ++i;
      continue;
    }
    end = std::min(end, code.size());
    std::fill(in.begin() + static_cast<long>(i), in.begin() + static_cast<long>(end), true);
    i = end;
  }
  return in;
}

// [line start, end) of the declaration of `entry_point` in `code`, or {npos, npos}.
std::pair<size_t, size_t> declaration_span(const std::string& code, const std::string& entry_point) {
  const auto none = std::make_pair(std::string::npos, std::string::npos);
  if (entry_point.empty()) return none;
  std::regex head("(^|[^A-Za-z0-9_])" + entry_point + R"(\s*\()");
  std::vector<bool> skip = commented(code);
  size_t at = std::string::npos;
  for (std::sregex_iterator it(code.begin(), code.end(), head), end; it != end; ++it) {
    size_t name = static_cast<size_t>(it->position(0)) + (*it)[1].length();
    if (!skip[name]) at = name;
  }
  if (at == std::string::npos) return none;
  size_t line_start = code.rfind('\n', at);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  int depth = 0;
  for (size_t i = code.find('(', at); i < code.size(); ++i) {
    if (code[i] == '(') ++depth;
    if (code[i] == ')' && --depth == 0) return {line_start, i + 1};
  }
  return none;
}

}  // namespace

std::string declaration_of(const std::string& code, const std::string& entry_point) {
  auto [begin, end] = declaration_span(code, entry_point);
  return begin == std::string::npos ? "" : code.substr(begin, end - begin);
}

sandbox::EntryPoint entry_point_of(const std::string& prompt, const std::string& entry_point) {
  sandbox::EntryPoint e;
  auto [begin, end] = declaration_span(prompt, entry_point);
  if (begin == std::string::npos) return e;
  e.name = entry_point;
  e.declaration = prompt.substr(begin, end - begin);
  e.context = prompt.substr(0, begin);
  return e;
}

sandbox::Tests Problem::judged_tests() const {
  sandbox::Tests t = tests;
  if (t.kind == sandbox::Tests::Kind::Assert && t.entry.name.empty())
    t.entry = entry_point_of(prompt, entry_point);
  return t;
}

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
