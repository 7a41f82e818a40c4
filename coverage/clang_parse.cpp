// Clang front end plumbing for the instrumenter: an in-memory program, a precompiled
// <bits/stdc++.h> (built once per option set, with its template instantiations, so a parse
// takes tens of milliseconds instead of a second), and error collection. Clang's exceptions-free
// API is used throughout; failures come back as Status.
#include "coverage/clang_parse.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/Version.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "util/files.h"
#include "util/hash.h"

#ifndef STEPCODER_CLANG_RESOURCE_DIR
#define STEPCODER_CLANG_RESOURCE_DIR ""
#endif

namespace stepcoder::coverage {

namespace {

constexpr const char* kProgramPath = "/stepcoder-input/program.cpp";

// Keeps the first few errors as "LINE:COL: error: message" (main file) or "file:LINE:COL: ...".
class ErrorCollector : public clang::DiagnosticConsumer {
 public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                        const clang::Diagnostic& info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < clang::DiagnosticsEngine::Error || messages_.size() >= 3) return;
    llvm::SmallString<160> text;
    info.FormatDiagnostic(text);
    std::string where;
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      const clang::SourceManager& sm = info.getSourceManager();
      clang::SourceLocation loc = sm.getExpansionLoc(info.getLocation());
      clang::PresumedLoc p = sm.getPresumedLoc(loc);
      if (p.isValid()) {
        if (!sm.isInMainFile(loc)) where = std::string(p.getFilename()) + ":";
        where += std::to_string(p.getLine()) + ":" + std::to_string(p.getColumn()) + ": ";
      }
    }
    messages_.push_back(where + "error: " + std::string(text.str()));
  }
  std::string summary() const {
    std::string s;
    for (const auto& m : messages_) s += (s.empty() ? "" : "; ") + m;
    return s.empty() ? "Clang reported errors" : s;
  }

 private:
  std::vector<std::string> messages_;
};

class CollectConsumer : public clang::ASTConsumer {
 public:
  explicit CollectConsumer(const AstCallback& cb) : cb_(cb) {}
  bool HandleTopLevelDecl(clang::DeclGroupRef group) override {
    for (clang::Decl* d : group) decls_.push_back(d);
    return true;
  }
  void HandleTranslationUnit(clang::ASTContext& ctx) override {
    if (ctx.getDiagnostics().hasErrorOccurred()) return;
    // Only declarations written in the program; headers it includes itself are skipped.
    const clang::SourceManager& sm = ctx.getSourceManager();
    std::vector<clang::Decl*> mine;
    for (clang::Decl* d : decls_) {
      // Sema hands implicit template instantiations to the consumer too; their text is the
      // template's, which is instrumented once.
      if (const auto* fd = llvm::dyn_cast<clang::FunctionDecl>(d); fd && fd->isTemplateInstantiation())
        continue;
      if (sm.isInMainFile(sm.getExpansionLoc(d->getBeginLoc()))) mine.push_back(d);
    }
    cb_(ctx, mine);
  }

 private:
  const AstCallback& cb_;
  std::vector<clang::Decl*> decls_;
};

class CollectAction : public clang::ASTFrontendAction {
 public:
  explicit CollectAction(const AstCallback& cb) : cb_(cb) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&,
                                                        llvm::StringRef) override {
    return std::make_unique<CollectConsumer>(cb_);
  }

 private:
  const AstCallback& cb_;
};

std::vector<std::string> base_args(const InstrumentOptions& opts) {
  std::vector<std::string> args = {"clang++", "-std=" + opts.std, "-w", "-fno-color-diagnostics", "-fno-caret-diagnostics",
                                   "-ferror-limit=5"};
  std::string rd = STEPCODER_CLANG_RESOURCE_DIR;
  if (!rd.empty()) args.push_back("-resource-dir=" + rd);
  args.insert(args.end(), opts.extra_args.begin(), opts.extra_args.end());
  return args;
}

// Runs `action` over `path` (a real file, or kProgramPath backed by `program`).
Status run_clang(std::vector<std::string> args, std::unique_ptr<clang::FrontendAction> action,
                 const std::string* program) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> fs(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  if (program) {
    llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> mem(
        new llvm::vfs::InMemoryFileSystem);
    mem->addFile(kProgramPath, 0, llvm::MemoryBuffer::getMemBufferCopy(*program));
    fs->pushOverlay(mem);
  }
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(
      new clang::FileManager(clang::FileSystemOptions(), fs));
  clang::tooling::ToolInvocation inv(std::move(args), std::move(action), files.get());
  ErrorCollector errors;
  inv.setDiagnosticConsumer(&errors);
  if (!inv.run() || errors.getNumErrors() > 0) return Error(errors.summary());
  return {};
}

std::string default_cache_dir() { return cache_home("coverage"); }

// Builds the PCH at `path` (through a temporary name, so concurrent builders never see a torn
// file) and checks that a trivial program parses with it.
Status build_pch(const InstrumentOptions& opts, const std::string& dir, const std::string& path) {
  if (auto s = make_dirs(dir); !s) return s;
  std::string header = dir + "/stdcpp.hpp";
  if (auto s = write_file_atomic(header, "#include <bits/stdc++.h>\n"); !s) return s;
  static std::atomic<int> seq{0};
  std::string tmp = path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(seq++);
  std::vector<std::string> args = base_args(opts);
  args.insert(args.end(), {"-x", "c++-header", "-fpch-instantiate-templates", header, "-o", tmp});
  if (auto s = run_clang(args, std::make_unique<clang::GeneratePCHAction>(), nullptr); !s) {
    std::remove(tmp.c_str());
    return Error("building " + path + ": " + s.error());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return SysError("renaming " + tmp);
  return {};
}

bool pch_works(const InstrumentOptions& opts, const std::string& pch) {
  std::vector<std::string> args = base_args(opts);
  args.insert(args.end(), {"-fsyntax-only", "-include-pch", pch, kProgramPath});
  std::string probe = "int main() { std::vector<int> v; return (int)v.size(); }\n";
  AstCallback none = [](clang::ASTContext&, const std::vector<clang::Decl*>&) {};
  return run_clang(args, std::make_unique<CollectAction>(none), &probe).ok();
}

}  // namespace

std::string stdcpp_pch(const InstrumentOptions& opts) {
  static std::mutex mu;
  static std::map<std::string, std::string> ready;  // key -> path ("" = unusable)
  std::string dir = opts.cache_dir.empty() ? default_cache_dir() : opts.cache_dir;
  std::string key = hash_hex({clang::getClangFullVersion(), STEPCODER_CLANG_RESOURCE_DIR,
                              opts.std, [&] {
                                std::string s;
                                for (const auto& a : opts.extra_args) s += a + '\n';
                                return s;
                              }()});
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = ready.find(dir + key); it != ready.end()) return it->second;
  std::string path = dir + "/stdcpp-" + key.substr(0, 16) + ".pch";
  // A stale PCH (system headers updated) fails the probe and is rebuilt once.
  bool ok = file_exists(path) && pch_works(opts, path);
  if (!ok) ok = build_pch(opts, dir, path).ok() && pch_works(opts, path);
  return ready[dir + key] = ok ? path : "";
}

Status parse_program(const std::string& program, const InstrumentOptions& opts,
                     const AstCallback& on_ast) {
  std::vector<std::string> args = base_args(opts);
  args.push_back("-fsyntax-only");
  if (opts.force_include_stdcpp) {
    std::string pch = !opts.pch_file.empty() ? opts.pch_file : opts.use_pch ? stdcpp_pch(opts) : "";
    if (!pch.empty()) {
      args.insert(args.end(), {"-include-pch", pch});
    } else {
      args.insert(args.end(), {"-include", "bits/stdc++.h"});
    }
  }
  args.push_back(kProgramPath);
  return run_clang(args, std::make_unique<CollectAction>(on_ast), &program);
}

}  // namespace stepcoder::coverage
