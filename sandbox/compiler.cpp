// Compiler driver with cache and precompiled header: see compiler.h.
#include "sandbox/compiler.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "sandbox/box.h"
#include "util/files.h"
#include "util/hash.h"

namespace stepcoder::sandbox {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kCompilerEnv = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C",
                                               "LC_ALL=C"};

// `exec` is the compiler's file; argv[0] keeps the name it was called by, from which clang's
// driver takes its mode (clang++ links libstdc++, clang does not).
SpawnSpec compiler_spec(const SandboxConfig& cfg, const std::string& exec, std::vector<std::string> argv,
                        const Box& box) {
  SpawnSpec s;
  s.who = box::Who::Compiler;
  s.exec_path = exec;
  s.exec_in_view = true;
  s.argv = std::move(argv);
  s.env = kCompilerEnv;
  s.env.push_back("TMPDIR=" + box.work_dir());
  s.workdir = box.work_dir();
  s.cpu_ms = cfg.compile.cpu_ms;
  s.wall_ms = cfg.compile.wall_ms;
  s.memory_bytes = int64_t{cfg.compile.memory_mb} << 20;
  s.file_bytes = int64_t{512} << 20;  // a `static char a[1<<30] = {1};` binary stops here
  s.output_cap = static_cast<size_t>(cfg.compile.output_kb) << 10;
  s.kill_on_output_cap = false;
  return s;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// How g++, cc1plus and clang say that the address-space limit stopped them.
bool out_of_memory(const std::string& err) {
  for (const char* m : {"out of memory", "virtual memory exhausted", "Cannot allocate memory", "std::bad_alloc"})
    if (err.find(m) != std::string::npos) return true;
  return false;
}

// Moves a file the compiler wrote in the work directory to `to` (rename; a copy across file
// systems), owned by the judge and executable, not readable, by others: a judged program runs
// it through a descriptor as its own uid.
Status move_out(const std::string& from, const std::string& to, mode_t mode) {
  std::string tmp = to + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(::gettid());
  if (::rename(from.c_str(), tmp.c_str()) != 0) {
    if (errno != EXDEV) return SysError("rename " + from);
    std::error_code ec;
    fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) return Error("copy " + from + ": " + ec.message());
  }
  if (::lchown(tmp.c_str(), ::geteuid(), ::getegid()) != 0 || ::chmod(tmp.c_str(), mode) != 0 ||
      ::rename(tmp.c_str(), to.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return SysError("storing " + to, err);
  }
  return {};
}

}  // namespace

std::string default_cache_dir(const std::string& configured) {
  // Absolute: boxes bind it at the same path, and the compiler runs in its work directory.
  if (!configured.empty()) {
    std::error_code ec;
    fs::path p = fs::absolute(configured, ec);
    return ec ? configured : p.lexically_normal().string();
  }
  return cache_home();
}

Status Compiler::find_compiler(Box& box) {
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
  // The view holds /usr: the compiler is run by its resolved path, through no /etc/alternatives.
  std::error_code ec;
  exec_path_ = fs::canonical(compiler_path_, ec).string();
  if (ec) return Error("resolving " + compiler_path_ + ": " + ec.message());
  if (exec_path_.rfind("/usr/", 0) != 0)
    return Error("compiler " + exec_path_ + " is outside /usr, which is all the compiler's sandbox shows");
  auto r = box.run({compiler_spec(cfg_, exec_path_, {compiler_path_, "--version"}, box)});
  if (!r) return Error("running " + compiler_path_ + ": " + r.error());
  const SpawnResult& v = (*r)[0];
  if (v.exit_code != 0)
    return Error(compiler_path_ + " --version failed in the sandbox: " + first_line(v.err) +
                 (v.exec_errno ? std::string(" (") + std::strerror(v.exec_errno) + ")" : ""));
  compiler_id_ = compiler_path_ + "\n" + first_line(v.out);
  return {};
}

Expected<std::unique_ptr<Compiler>> Compiler::create(const SandboxConfig& cfg, Box& box) {
  std::unique_ptr<Compiler> c(new Compiler(cfg));
  if (Status st = c->find_compiler(box); !st) return Error(st.error());
  c->flags_ = {"-std=" + cfg.std, cfg.opt, "-pipe", "-fdiagnostics-color=never",
               "-fmax-errors=20"};
  if (c->is_clang_) c->flags_.back() = "-ferror-limit=20";
  if (cfg.static_link) c->flags_.push_back("-static");
  if (cfg.checked_stl) c->flags_.push_back("-D_GLIBCXX_ASSERTIONS");
  for (const auto& f : cfg.extra_flags) c->flags_.push_back(f);
  c->cache_dir_ = default_cache_dir(cfg.cache_dir);
  if (Status st = make_dirs(c->cache_dir_ + "/bin"); !st) return Error("compile cache: " + st.error());
  ::chmod(c->cache_dir_.c_str(), 0711);
  ::chmod((c->cache_dir_ + "/bin").c_str(), 0700);  // binaries are run through descriptors
  if (cfg.pch) {
    if (Status st = c->build_pch(box); !st) return Error("precompiled header: " + st.error());
  }
  for (const auto& f : c->flags_) c->flags_key_ += f + "\n";
  for (const auto& f : c->pch_flags_) c->flags_key_ += f + "\n";
  for (const auto& l : cfg.libs) c->flags_key_ += "-l" + l + "\n";
  return c;
}

// One PCH per (compiler, flags): g++ and clang++ refuse a PCH built with other flags. The
// header lies in the PCH directory (read-only in the view); the compiler writes the PCH into
// its work directory and the judge moves it next to the header.
Status Compiler::build_pch(Box& box) {
  std::string all;
  for (const auto& f : flags_) all += f + "\n";
  std::string key = hash_hex({compiler_id_, all});
  std::string dir = pch_root(cache_dir_) + "/" + key;
  std::string header = dir + "/stdc++.h";
  std::string pch = header + (is_clang_ ? ".pch" : ".gch");
  auto use = [&] {
    pch_flags_ = is_clang_ ? std::vector<std::string>{"-include-pch", pch}
                           : std::vector<std::string>{"-include", header};
  };
  if (file_exists(pch)) {
    use();
    return {};
  }
  if (Status st = make_dirs(dir); !st) return st;
  if (!file_exists(header))
    if (Status st = write_file_atomic(header, "#include <bits/stdc++.h>\n"); !st) return st;
  if (Status st = box.clear_work(); !st) return st;
  // Every flag, -static included: clang++ records __STATIC__ in the PCH and refuses a mismatch.
  std::vector<std::string> argv = {compiler_path_};
  argv.insert(argv.end(), flags_.begin(), flags_.end());
  argv.insert(argv.end(), {"-x", "c++-header", header, "-o", "stdc++.out"});
  SpawnSpec s = compiler_spec(cfg_, exec_path_, argv, box);
  s.wall_ms = std::max(s.wall_ms, 120000);
  s.cpu_ms = std::max(s.cpu_ms, 120000);
  auto r = box.run({s});
  if (!r) return Error(r.error());
  if ((*r)[0].exit_code != 0) return Error("building " + pch + " failed: " + first_line((*r)[0].err));
  if (Status st = move_out(box.work_dir() + "/stdc++.out", pch, 0644); !st) return st;
  use();
  return {};
}

CompileOutput Compiler::compile(const std::string& source, Box& box, const CompileOptions& opts) {
  auto start = std::chrono::steady_clock::now();
  std::string key = hash_hex({compiler_id_, flags_key_, source});
  std::string bin = cache_dir_ + "/bin/" + key.substr(0, 2) + "/" + key;
  // One compile per source at a time: the K samples of a prompt share their test process, and
  // samples that came out alike share a binary; a second caller waits for the first's result.
  std::unique_lock<std::mutex> lock(flight_mu_);
  flight_cv_.wait(lock, [&] { return !in_flight_.count(key); });
  CompileOutput out;
  if (file_exists(bin)) {
    ::utimensat(AT_FDCWD, bin.c_str(), nullptr, 0);  // recently used: evicted last
    out.ok = true;
    out.binary = bin;
    out.cache_hit = true;
  } else if (auto failed = opts.remember_failure ? read_file(bin + ".fail") : Error("")) {
    out.message = *failed;
    out.cache_hit = true;
  } else {
    in_flight_.insert(key);
    lock.unlock();
    out = run_compiler(source, box, bin, opts);
    if (!out.ok && opts.remember_failure && !out.stopped) (void)write_file_atomic(bin + ".fail", out.message);
    lock.lock();
    in_flight_.erase(key);
    flight_cv_.notify_all();
  }
  out.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return out;
}

CompileOutput Compiler::run_compiler(const std::string& source, Box& box, const std::string& out_path,
                                     const CompileOptions& opts) {
  CompileOutput out;
  if (Status st = box.clear_work(); !st) {
    out.message = "internal: " + st.error();
    out.stopped = true;
    return out;
  }
  if (Status st = write_file_atomic(box.work_dir() + "/" + kProgramFile, source); !st) {
    out.message = "internal: " + st.error();
    out.stopped = true;
    return out;
  }
  std::vector<std::string> argv = {compiler_path_};
  argv.insert(argv.end(), flags_.begin(), flags_.end());
  argv.insert(argv.end(), pch_flags_.begin(), pch_flags_.end());
  argv.insert(argv.end(), {kProgramFile, "-o", "a.out"});
  for (const auto& lib : cfg_.libs) argv.push_back("-l" + lib);
  SpawnSpec spec = compiler_spec(cfg_, exec_path_, argv, box);
  if (opts.cpu_ms > 0) spec.cpu_ms = std::min(spec.cpu_ms, opts.cpu_ms);
  auto r = box.run({spec});
  if (!r) {
    out.message = "internal: " + r.error();
    out.stopped = true;
    return out;
  }
  const SpawnResult& c = (*r)[0];
  out.cpu_ms = c.cpu_ms;
  out.diagnostics = parse_diagnostics(c.err);
  std::string tmp_bin = box.work_dir() + "/a.out";
  if (c.wall_timeout || c.cpu_timeout) {
    out.message = "compiler stopped: time limit";
  } else if (c.signal != 0 || (c.exit_code != 0 && out_of_memory(c.err))) {
    out.message = c.signal ? "compiler stopped: killed by signal " + std::to_string(c.signal)
                           : "compiler stopped: out of memory";
  } else if (c.exit_code == 0 && file_exists(tmp_bin)) {
    std::string dir = fs::path(out_path).parent_path().string();
    Status st = make_dirs(dir);
    if (st) st = move_out(tmp_bin, out_path, 0711);
    if (!st) {
      out.message = "internal: cannot store the binary: " + st.error();
      out.stopped = true;
      return out;
    }
    out.ok = true;
    out.binary = out_path;
    evict_if_needed();
    return out;
  }
  out.stopped = !out.message.empty();
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
    } else if (file == kTestsFile || file == kHarnessFile || file == kInterfaceFile) {
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
