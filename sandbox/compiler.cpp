// Compiler driver with cache and precompiled header: see compiler.h.
#include "sandbox/compiler.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "sandbox/process.h"
#include "util/files.h"
#include "util/hash.h"

namespace stepcoder::sandbox {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kCompilerEnv = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C",
                                               "LC_ALL=C"};

SpawnSpec compiler_spec(const SandboxConfig& cfg, std::vector<std::string> argv,
                        const std::string& workdir) {
  SpawnSpec s;
  s.exec_path = argv[0];
  s.argv = std::move(argv);
  s.env = kCompilerEnv;
  s.env.push_back("TMPDIR=" + workdir);
  s.workdir = workdir;
  s.drop_privileges = false;  // it writes into the cache; it runs no untrusted code
  s.cpu_ms = cfg.compile.cpu_ms;
  s.wall_ms = cfg.compile.wall_ms;
  s.memory_bytes = int64_t{cfg.compile.memory_mb} << 20;
  s.file_bytes = int64_t{512} << 20;  // a `static char a[1<<30] = {1};` binary stops here
  s.output_cap = static_cast<size_t>(cfg.compile.output_kb) << 10;
  s.kill_on_output_cap = false;
  return s;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

std::string default_cache_dir(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/stepcoder";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/stepcoder";
  return "/tmp/stepcoder-cache";
}

Status Compiler::find_compiler() {
  std::string name = cfg_.compiler;
  if (name.find('/') == std::string::npos) {
    for (const char* dir : {"/usr/local/bin", "/usr/bin", "/bin"}) {
      std::string p = std::string(dir) + "/" + name;
      if (::access(p.c_str(), X_OK) == 0) {
        compiler_path_ = p;
        break;
      }
    }
  } else if (::access(name.c_str(), X_OK) == 0) {
    compiler_path_ = name;
  }
  if (compiler_path_.empty())
    return Error("compiler '" + name + "' not found (set sandbox.compiler to g++ or clang++)");
  is_clang_ = fs::path(compiler_path_).filename().string().find("clang") != std::string::npos;
  auto tmp = TempDir::create("stepcoder-cc");
  if (!tmp) return Error(tmp.error());
  SpawnSpec s = compiler_spec(cfg_, {compiler_path_, "--version"}, tmp->path());
  auto r = spawn_and_wait(s);
  if (!r) return Error("running " + compiler_path_ + ": " + r.error());
  if (r->exit_code != 0) return Error(compiler_path_ + " --version failed: " + first_line(r->err));
  compiler_id_ = compiler_path_ + "\n" + first_line(r->out);
  return {};
}

Expected<std::unique_ptr<Compiler>> Compiler::create(const SandboxConfig& cfg) {
  std::unique_ptr<Compiler> c(new Compiler(cfg));
  if (Status st = c->find_compiler(); !st) return Error(st.error());
  c->flags_ = {"-std=" + cfg.std, cfg.opt, "-pipe", "-fdiagnostics-color=never",
               "-fmax-errors=20"};
  if (c->is_clang_) c->flags_.back() = "-ferror-limit=20";
  if (cfg.static_link) c->flags_.push_back("-static");
  if (cfg.checked_stl) c->flags_.push_back("-D_GLIBCXX_ASSERTIONS");
  for (const auto& f : cfg.extra_flags) c->flags_.push_back(f);
  c->cache_dir_ = default_cache_dir(cfg.cache_dir);
  if (Status st = make_dirs(c->cache_dir_ + "/bin"); !st) return Error("compile cache: " + st.error());
  if (cfg.pch) {
    if (Status st = c->build_pch(); !st) return Error("precompiled header: " + st.error());
  }
  for (const auto& f : c->flags_) c->flags_key_ += f + "\n";
  for (const auto& f : c->pch_flags_) c->flags_key_ += f + "\n";
  for (const auto& l : cfg.libs) c->flags_key_ += "-l" + l + "\n";
  return c;
}

// One PCH per (compiler, flags): g++ and clang++ refuse a PCH built with other flags.
Status Compiler::build_pch() {
  std::string key = hash_hex({compiler_id_, [&] {
                                std::string all;
                                for (const auto& f : flags_) all += f + "\n";
                                return all;
                              }()});
  std::string dir = cache_dir_ + "/pch/" + key;
  std::string header = dir + "/stdc++.h";
  std::string pch = header + (is_clang_ ? ".pch" : ".gch");
  if (file_exists(pch)) {
    pch_flags_ = is_clang_ ? std::vector<std::string>{"-include-pch", pch}
                           : std::vector<std::string>{"-include", header};
    return {};
  }
  if (Status st = make_dirs(dir); !st) return st;
  if (Status st = write_file_atomic(header, "#include <bits/stdc++.h>\n"); !st) return st;
  std::string tmp = pch + ".tmp." + std::to_string(::getpid());
  // Every flag, -static included: clang++ records __STATIC__ in the PCH and refuses a mismatch.
  std::vector<std::string> argv = {compiler_path_};
  argv.insert(argv.end(), flags_.begin(), flags_.end());
  for (const char* a : {"-x", "c++-header"}) argv.push_back(a);
  argv.insert(argv.end(), {header, "-o", tmp});
  SpawnSpec s = compiler_spec(cfg_, argv, dir);
  s.wall_ms = std::max(s.wall_ms, 120000);
  auto r = spawn_and_wait(s);
  if (!r) return Error(r.error());
  if (r->exit_code != 0) {
    ::unlink(tmp.c_str());
    return Error("building " + pch + " failed: " + first_line(r->err));
  }
  if (::rename(tmp.c_str(), pch.c_str()) != 0) return SysError("rename " + pch);
  pch_flags_ = is_clang_ ? std::vector<std::string>{"-include-pch", pch}
                         : std::vector<std::string>{"-include", header};
  return {};
}

CompileOutput Compiler::compile(const std::string& source, const std::string& workdir) {
  auto start = std::chrono::steady_clock::now();
  std::string key = hash_hex({compiler_id_, flags_key_, source});
  std::string bin = cache_dir_ + "/bin/" + key.substr(0, 2) + "/" + key;
  CompileOutput out;
  if (file_exists(bin)) {
    ::utimensat(AT_FDCWD, bin.c_str(), nullptr, 0);  // recently used: evicted last
    out.ok = true;
    out.binary = bin;
    out.cache_hit = true;
  } else {
    out = run_compiler(source, workdir, bin);
  }
  out.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return out;
}

CompileOutput Compiler::run_compiler(const std::string& source, const std::string& workdir,
                                     const std::string& out_path) {
  CompileOutput out;
  std::string src = workdir + "/" + kProgramFile;
  std::string tmp_bin = workdir + "/a.out";
  if (Status st = write_file_atomic(src, source); !st) {
    out.message = "internal: " + st.error();
    return out;
  }
  std::vector<std::string> argv = {compiler_path_};
  argv.insert(argv.end(), flags_.begin(), flags_.end());
  argv.insert(argv.end(), pch_flags_.begin(), pch_flags_.end());
  argv.insert(argv.end(), {kProgramFile, "-o", tmp_bin});
  for (const auto& lib : cfg_.libs) argv.push_back("-l" + lib);
  auto r = spawn_and_wait(compiler_spec(cfg_, argv, workdir));
  if (!r) {
    out.message = "internal: " + r.error();
    return out;
  }
  out.diagnostics = parse_diagnostics(r->err);
  if (r->wall_timeout || r->cpu_timeout) {
    out.message = "compiler stopped: time limit";
  } else if (r->signal != 0 || (r->exit_code != 0 && r->err.find("out of memory") != std::string::npos)) {
    out.message = r->signal ? "compiler stopped: killed by signal " + std::to_string(r->signal)
                            : "compiler stopped: out of memory";
  } else if (r->exit_code == 0 && file_exists(tmp_bin)) {
    std::string dir = fs::path(out_path).parent_path().string();
    if (Status st = make_dirs(dir); !st) {
      out.message = "internal: " + st.error();
      return out;
    }
    ::chmod(tmp_bin.c_str(), 0755);
    if (::rename(tmp_bin.c_str(), out_path.c_str()) != 0) {
      out.message = "internal: cannot store binary in " + dir;
      return out;
    }
    out.ok = true;
    out.binary = out_path;
    evict_if_needed();
    return out;
  }
  if (out.message.empty()) {
    for (const auto& d : out.diagnostics)
      if (d.severity == "error" || d.severity == "fatal error") {
        out.message = d.in_tests ? "tests: " + d.message
                      : d.line > 0  ? "line " + std::to_string(d.line) + ": " + d.message
                                    : d.message;
        break;
      }
  }
  if (out.message.empty()) out.message = "compilation failed";
  return out;
}

// Linker errors name symbols, not lines: "undefined reference to `f(int)'" and the like.
static bool linker_error(const std::string& line, Diagnostic& d) {
  static const std::regex re(R"((undefined reference to|multiple definition of|relocation truncated to fit:) (.*)$)");
  std::smatch m;
  if (!std::regex_search(line, m, re)) return false;
  d.severity = "error";
  d.message = "link: " + m[1].str() + " " + m[2].str();
  return true;
}

std::vector<Diagnostic> parse_diagnostics(const std::string& text) {
  static const std::regex re(R"(^(.*?):(\d+):(?:(\d+):)? (fatal error|error|warning|note): (.*)$)");
  std::vector<Diagnostic> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    std::smatch m;
    Diagnostic d;
    if (!std::regex_match(line, m, re)) {
      static const std::regex bare(R"(^(fatal error|error): (.*)$)");  // no location: driver
      if (std::regex_match(line, m, bare)) {
        d.severity = m[1];
        d.message = m[2];
        if (out.size() < 50) out.push_back(std::move(d));
      } else if (linker_error(line, d) && out.size() < 50) {
        out.push_back(std::move(d));
      }
      continue;
    }
    std::string file = m[1];
    d.severity = m[4];
    if (file == kProgramFile) {
      d.line = std::stoi(m[2]);
      d.column = m[3].matched ? std::stoi(m[3]) : 0;
      d.message = m[5];
    } else if (file == kTestsFile || file == kHarnessFile) {
      d.in_tests = true;
      d.message = m[5];
    } else {
      // Located in another file: its text could be anything (/etc/passwd), so say only where.
      d.message = "in included file " + file;
    }
    if (out.size() < 50) out.push_back(std::move(d));
  }
  return out;
}

// Keeps the cache under cache_max_mb by deleting least recently used binaries, checked every
// 64 inserts so the directory walk stays off the hot path.
void Compiler::evict_if_needed() {
  std::lock_guard<std::mutex> lock(evict_mu_);
  if (++inserts_since_evict_ < 64) return;
  inserts_since_evict_ = 0;
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  uintmax_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(cache_dir_ + "/bin", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    total += it->file_size(ec);
    files.emplace_back(it->last_write_time(ec), it->path());
  }
  uintmax_t limit = static_cast<uintmax_t>(cfg_.cache_max_mb) << 20;
  if (total <= limit) return;
  std::sort(files.begin(), files.end());
  for (const auto& [when, path] : files) {
    if (total <= limit * 3 / 4) break;
    uintmax_t size = fs::file_size(path, ec);
    if (fs::remove(path, ec)) total -= size;
  }
}

}  // namespace stepcoder::sandbox
