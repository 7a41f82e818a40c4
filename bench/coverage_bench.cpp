// Coverage overhead, as ratios measured in one run on this machine:
//  - run time of a CPU-bound program: instrumented (counters in a memfd at fd 4, as the judge
//    runs it) and gcov (`g++ --coverage`) against the plain build, all at -O0;
//  - compile time: instrument + compile against a plain compile, with the judge's flags and a
//    precompiled <bits/stdc++.h> for both, over HumanEval-X programs (or the bench program);
//    the instrumenter both in this process and as the program the judge runs it as
//    (stepcoder-instrument, whose start-up is the price of parsing outside the trainer).
// Times are CPU seconds (user + system, children included), which a shared, loaded machine
// disturbs far less than wall time.
// Usage: coverage_bench [--runs N] [--programs N] [--json]
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "coverage/clang_parse.h"
#include "coverage/instrument.h"
#include "tasks/problem_io.h"
#include "util/files.h"
#include "util/jsonl.h"

namespace {

using namespace stepcoder;

// Typical judged code at -O0: a sieve on a plain array, an LCS table in vectors, recursion.
const char* kProgram = R"(int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static char sieve[20000001];
int main() {
  const int n = 20000000;
  long long primes = 0;
  for (int i = 2; i <= n; ++i) sieve[i] = 1;
  for (int i = 2; (long long)i * i <= n; ++i)
    if (sieve[i])
      for (int j = i * i; j <= n; j += i) sieve[j] = 0;
  for (int i = 0; i <= n; ++i)
    if (sieve[i]) primes++;
  std::string a, b;
  for (int i = 0; i < 2500; ++i) {
    a += char('a' + (i * 7) % 26);
    b += char('a' + (i * 11) % 13);
  }
  std::vector<std::vector<int>> dp(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      if (a[i - 1] == b[j - 1]) dp[i][j] = dp[i - 1][j - 1] + 1;
      else dp[i][j] = std::max(dp[i - 1][j], dp[i][j - 1]);
    }
  printf("%lld %d %d\n", primes, dp[a.size()][b.size()], fib(30));
  return 0;
}
)";

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

// Runs `cmd` (through sh -c) and returns its CPU time, or -1 on failure. With `shared_bytes`,
// descriptor 4 is a fresh memfd of that size, as the judge gives it.
double timed(const std::string& cmd, size_t shared_bytes = 0) {
  int memfd = -1;
  if (shared_bytes) {
    memfd = memfd_create("bench-shared", 0);
    if (memfd < 0 || ftruncate(memfd, static_cast<off_t>(shared_bytes)) != 0) return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    if (memfd >= 0) dup2(memfd, 4);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int st = 0;
  rusage ru{};
  wait4(pid, &st, 0, &ru);
  double s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
             (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  if (memfd >= 0) close(memfd);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? s : -1;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

struct Bench {
  std::string dir;
  std::string flags = "-std=c++17 -O0 -static -include stdcpp.h";
  coverage::InstrumentOptions opts;
};

bool setup(Bench& b) {
  if (!write_file_atomic(b.dir + "/stdcpp.h", "#include <bits/stdc++.h>\n")) return false;
  if (timed("cd " + b.dir + " && g++ -std=c++17 -O0 -x c++-header stdcpp.h -o stdcpp.h.gch") < 0)
    return false;
  // The instrumenter's own PCH is built on first use; warm it outside the measurements.
  return coverage::instrument("int main() {}", b.opts).ok();
}

struct RunFigures {
  double plain = 0, instrumented = 0, gcov = 0;
};

bool run_time(Bench& b, int runs, RunFigures* f) {
  auto inst = coverage::instrument(kProgram, b.opts);
  if (!inst) return std::fprintf(stderr, "instrument: %s\n", inst.error().c_str()), false;
  if (!write_file_atomic(b.dir + "/plain.cpp", kProgram) ||
      !write_file_atomic(b.dir + "/inst.cpp", inst->source))
    return false;
  std::string cd = "cd " + b.dir + " && ";
  if (timed(cd + "g++ " + b.flags + " plain.cpp -o plain") < 0 ||
      timed(cd + "g++ " + b.flags + " inst.cpp -o inst") < 0 ||
      timed(cd + "g++ -std=c++17 -O0 -static --coverage -include bits/stdc++.h plain.cpp -o gcov") < 0)
    return std::fprintf(stderr, "compiling the bench program failed\n"), false;
  std::vector<double> p, i, g;
  for (int r = 0; r < runs; ++r) {  // interleaved, so load changes hit all three alike
    p.push_back(timed(cd + "./plain"));
    i.push_back(timed(cd + "./inst", inst->shared_bytes()));
    g.push_back(timed(cd + "./gcov"));
  }
  f->plain = median(p);
  f->instrumented = median(i);
  f->gcov = median(g);
  return f->plain > 0 && f->instrumented > 0 && f->gcov > 0;
}

struct CompileFigures {
  int programs = 0;
  double plain = 0, instrument = 0, instrument_tool = 0, instrumented_compile = 0;
};

bool compile_time(Bench& b, int max_programs, CompileFigures* f) {
  std::vector<std::string> programs;
  const char* data = STEPCODER_SOURCE_DIR "/../shared/data/external/humaneval-x_cpp.jsonl.gz";
  if (auto set = tasks::load_problems(data)) {
    for (const auto& p : set->problems) programs.push_back(p.canonical_program() + "\n" + p.tests.code);
  }
  if (programs.empty()) programs.push_back(kProgram);
  if (static_cast<int>(programs.size()) > max_programs) programs.resize(max_programs);
  std::string cd = "cd " + b.dir + " && ";
  auto tool = find_helper("stepcoder-instrument");
  if (!tool) return std::fprintf(stderr, "%s\n", tool.error().c_str()), false;
  std::string contained = *tool + " --std c++17 --pch " + coverage::stdcpp_pch(b.opts) + " < c.cpp > /dev/null";
  for (const std::string& prog : programs) {
    if (!write_file_atomic(b.dir + "/c.cpp", prog)) return false;
    double plain = timed(cd + "g++ " + b.flags + " c.cpp -o c");
    double t0 = cpu_seconds();
    auto inst = coverage::instrument(prog, b.opts);
    double ins = cpu_seconds() - t0;
    if (!inst || plain < 0) continue;
    if (!write_file_atomic(b.dir + "/ci.cpp", inst->source)) return false;
    double comp = timed(cd + "g++ " + b.flags + " ci.cpp -o ci");
    double tool_s = timed(cd + contained);
    if (comp < 0 || tool_s < 0) continue;
    ++f->programs;
    f->plain += plain;
    f->instrument += ins;
    f->instrument_tool += tool_s;
    f->instrumented_compile += comp;
  }
  return f->programs > 0;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5, max_programs = 30;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--programs" && i + 1 < argc) max_programs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--json") json = true;
    else if (a == "--help" || a == "-h") return std::printf("usage: coverage_bench [--runs N] [--programs N] [--json]\n"), 0;
    else return std::fprintf(stderr, "coverage_bench: unknown argument '%s'\nusage: coverage_bench [--runs N] [--programs N] [--json]\n", argv[i]), 2;
  }
  auto tmp = TempDir::create("stepcoder-cov-bench");
  if (!tmp) return std::fprintf(stderr, "%s\n", tmp.error().c_str()), 1;
  Bench b;
  b.dir = tmp->path();
  b.opts.cache_dir = b.dir + "/clang-cache";
  RunFigures rf;
  CompileFigures cf;
  if (!setup(b) || !run_time(b, runs, &rf) || !compile_time(b, max_programs, &cf)) {
    std::fprintf(stderr, "coverage_bench: a step failed (see above)\n");
    return 1;
  }
  double run_ratio = rf.instrumented / rf.plain, gcov_ratio = rf.gcov / rf.plain;
  double compile_ratio = (cf.instrument + cf.instrumented_compile) / cf.plain;
  double contained_ratio = (cf.instrument_tool + cf.instrumented_compile) / cf.plain;
  if (json) {
    Json j = {{"runs", runs},
              {"run_plain_s", rf.plain},
              {"run_instrumented_s", rf.instrumented},
              {"run_gcov_s", rf.gcov},
              {"run_ratio_instrumented", run_ratio},
              {"run_ratio_gcov", gcov_ratio},
              {"compile_programs", cf.programs},
              {"compile_plain_s", cf.plain},
              {"instrument_s", cf.instrument},
              {"instrument_contained_s", cf.instrument_tool},
              {"compile_instrumented_s", cf.instrumented_compile},
              {"compile_ratio", compile_ratio},
              {"compile_ratio_contained", contained_ratio}};
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf("CPU time, median of %d runs at -O0:  plain %.3f s  instrumented %.3f s (%.3fx)  "
              "gcov %.3f s (%.3fx)\n",
              runs, rf.plain, rf.instrumented, run_ratio, rf.gcov, gcov_ratio);
  std::printf("compile CPU time (%d programs):  plain %.2f s  instrument %.2f s + compile %.2f s "
              "(%.3fx); instrumenting as its own process (as the judge does) %.2f s (%.3fx)\n",
              cf.programs, cf.plain, cf.instrument, cf.instrumented_compile, compile_ratio,
              cf.instrument_tool, contained_ratio);
  return 0;
}
