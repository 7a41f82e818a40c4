// Sandbox benchmark. Prints ratios measured in one run (the machine is shared and noisy, so
// only same-run ratios mean anything):
//  1. sandboxed run of a trivial precompiled binary (in a box, as the judge runs programs) vs
//     plain fork+exec+wait of it (goal <= 1.3x);
//  2. judging throughput (programs/s) of fresh programs without and with the precompiled
//     header, and of repeated programs with the compile cache, vs plain `g++ -O0` + run per
//     program (goal: at least 3x faster);
//  3. assert tests: fresh completions judged with the tests apart from the program (a test
//     process, compiled once, calling the program over a pipe) vs in the program's process, and
//     the cost of one call, from tests that call the entry point 20,000 times either way.
// Usage: sandbox_bench [--runs N] [--programs M]
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "sandbox/box.h"
#include "sandbox/judge.h"
#include "util/files.h"

using namespace stepcoder;
using namespace stepcoder::sandbox;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void die(const std::string& m) {
  std::fprintf(stderr, "sandbox_bench: %s\n", m.c_str());
  std::exit(1);
}

double plain_run(const std::string& binary) {
  auto t = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    execl(binary.c_str(), "program", (char*)nullptr);
    _exit(127);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  return ms_since(t);
}

// A judged program's run as the judge makes it: in a box (its own uid and namespaces, an empty
// root), under the seccomp policy and the limits.
double sandboxed_run(const std::string& binary, Box& box) {
  SpawnSpec s;
  s.who = box::Who::Program;
  s.exec_path = binary;
  s.argv = {"program"};
  s.seccomp = true;
  s.cpu_ms = 1000;
  s.wall_ms = 2000;
  s.memory_bytes = int64_t{256} << 20;
  s.stack_bytes = int64_t{64} << 20;
  s.nofile = 16;
  auto t = Clock::now();
  auto r = box.run({s});
  double ms = ms_since(t);
  if (!r || (*r)[0].exit_code != 0) die("sandboxed run failed" + (r ? "" : ": " + r.error()));
  return ms;
}

void bench_spawn(const TempDir& dir, int runs) {
  std::string src = dir.file("trivial.cpp"), bin = dir.file("trivial");
  (void)write_file_atomic(src, "int main() { return 0; }\n");
  std::string cmd = "g++ -O0 -static -o " + bin + " " + src;
  if (std::system(cmd.c_str()) != 0) die("cannot build the trivial binary");
  auto exe = find_helper("stepcoder-box");
  if (!exe) die(exe.error());
  BoxOptions o;
  o.executable = *exe;
  o.dir = dir.file("slot");
  auto box = Box::start(o);
  if (!box) die(box.error());
  ::chmod(dir.path().c_str(), 0711);
  std::vector<double> plain, boxed;
  for (int i = 0; i < runs; ++i) {  // interleaved, so load changes hit both alike
    plain.push_back(plain_run(bin));
    boxed.push_back(sandboxed_run(bin, **box));
  }
  double p = median(plain), b = median(boxed);
  std::printf("spawn: plain fork+exec+wait %.3f ms, sandboxed %.3f ms (median of %d): ratio %.2fx (goal <= 1.3x)\n",
              p, b, runs, b / p);
}

std::string program(int i) {
  return "#include <bits/stdc++.h>\nusing namespace std;\nint main() {\n    vector<int> v(" +
         std::to_string(10 + i) + ");\n    iota(v.begin(), v.end(), " + std::to_string(i) +
         ");\n    cout << accumulate(v.begin(), v.end(), 0) << endl;\n    return 0;\n}\n";
}

double plain_gxx_rate(const TempDir& dir, int n) {
  auto t = Clock::now();
  for (int i = 0; i < n; ++i) {
    std::string src = dir.file("p" + std::to_string(i) + ".cpp"), bin = dir.file("p" + std::to_string(i));
    (void)write_file_atomic(src, program(1000 + i));
    std::string cmd = "g++ -std=c++17 -O0 -o " + bin + " " + src + " && " + bin + " > /dev/null";
    if (std::system(cmd.c_str()) != 0) die("plain g++ failed");
  }
  return n / (ms_since(t) / 1000);
}

double judge_rate(SandboxJudge& judge, int n, int offset) {
  auto t = Clock::now();
  for (int i = 0; i < n; ++i) {
    JudgeRequest req;
    req.program = program(offset + i);
    req.tests.cases.push_back({"", std::nullopt});
    if (judge.judge(req).verdict != Verdict::Passed) die("judged program did not pass");
  }
  return n / (ms_since(t) / 1000);
}

// An assert-style problem: `long long add_up(vector<int> v)`; completion i is a correct
// solution spelled differently for every i, so each one is a fresh compile.
std::string assert_program(int i) {
  return "#include <bits/stdc++.h>\nusing namespace std;\nlong long add_up(vector<int> v) {\n"
         "    long long s = " + std::to_string(i) + " - " + std::to_string(i) +
         ";\n    for (int x : v) s += x;\n    return s;\n}\n";
}

Tests assert_tests(bool apart, int calls) {
  Tests t;
  t.kind = Tests::Kind::Assert;
  t.code = "int main() {\n    long long s = 0;\n    for (int i = 0; i < " + std::to_string(calls) +
           "; ++i) s += add_up({1, 2, i});\n    assert(s == 3LL * " + std::to_string(calls) +
           " + " + std::to_string(int64_t{calls} * (calls - 1) / 2) + "LL);\n"
           "    assert(add_up({}) == 0);\n}\n";
  if (apart) t.entry = {"add_up", "long long add_up(vector<int> v)",
                        "#include <bits/stdc++.h>\nusing namespace std;\n"};
  return t;
}

// Seconds to judge n fresh completions (offset..offset+n-1) against the same tests.
double assert_seconds(SandboxJudge& judge, bool apart, int calls, int n, int offset) {
  auto t = Clock::now();
  for (int i = 0; i < n; ++i) {
    JudgeRequest req;
    req.program = assert_program(offset + i);
    req.tests = assert_tests(apart, calls);
    auto r = judge.judge(req);
    if (r.verdict != Verdict::Passed) die("assert program did not pass: " + r.message);
    if ((r.isolation == Isolation::Split) != apart) die("the tests did not run where asked");
  }
  return ms_since(t) / 1000;
}

void bench_assert(SandboxJudge& judge, int n, int salt) {
  assert_seconds(judge, true, 1, 1, salt);  // the test process, compiled once per problem
  assert_seconds(judge, true, 20000, 1, salt);
  double apart = 0, together = 0;
  for (int i = 0; i < n; ++i) {  // interleaved, so load changes hit both alike
    apart += assert_seconds(judge, true, 1, 1, salt + 10 + i);
    together += assert_seconds(judge, false, 1, 1, salt + 10 + n + i);
  }
  // Per call: the same cached binaries (in one process, the tests are part of the program:
  // both compiled first), tests calling 20,000 times vs once.
  assert_seconds(judge, false, 20000, 1, salt + 10 + n);
  double split_many = assert_seconds(judge, true, 20000, 1, salt);
  double split_one = assert_seconds(judge, true, 1, 1, salt);
  double one_many = assert_seconds(judge, false, 20000, 1, salt + 10 + n);
  double one_one = assert_seconds(judge, false, 1, 1, salt + 10 + n);
  std::printf("assert tests, %d fresh completions each (programs/s):\n", n);
  std::printf("  in one process             %7.2f  (baseline)\n", n / together);
  std::printf("  apart from the program     %7.2f  %.2fx\n", n / apart, together / apart);
  std::printf("  one call: apart %.1f us, in one process %.2f us\n",
              (split_many - split_one) / 19999 * 1e6, (one_many - one_one) / 19999 * 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 200, programs = 12;
  const char* usage = "usage: sandbox_bench [--runs N] [--programs N]\n"
                      "  spawn cost of the box, then judge throughput against plain g++ (same-run ratios)\n";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") return std::printf("%s", usage), 0;
    if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--programs" && i + 1 < argc) programs = std::max(1, std::atoi(argv[++i]));
    else return std::fprintf(stderr, "sandbox_bench: unknown argument '%s'\n%s", argv[i], usage), 2;
  }
  auto dir = TempDir::create("stepcoder-bench");
  if (!dir) die(dir.error());
  bench_spawn(*dir, runs);

  SandboxConfig cfg;
  cfg.cache_dir = dir->file("cache");
  cfg.pch = false;
  auto no_pch = SandboxJudge::create(cfg);
  cfg.pch = true;
  auto with_pch = SandboxJudge::create(cfg);
  if (!no_pch || !with_pch) die("cannot create the judge");
  // Distinct offsets: every fresh measurement compiles programs never seen before.
  int salt = static_cast<int>(::getpid() % 100000) * 100;
  double base = plain_gxx_rate(*dir, programs);
  double fresh_plain = judge_rate(**no_pch, programs, salt);
  double fresh_pch = judge_rate(**with_pch, programs, salt + programs);
  double cached = judge_rate(**with_pch, programs, salt + programs);  // same programs again
  std::printf("judge throughput, %d programs each, one at a time (programs/s):\n", programs);
  std::printf("  plain g++ -O0 + run        %7.2f  (baseline)\n", base);
  std::printf("  judge, no PCH, no cache    %7.2f  %.2fx\n", fresh_plain, fresh_plain / base);
  std::printf("  judge, PCH, fresh programs %7.2f  %.2fx\n", fresh_pch, fresh_pch / base);
  std::printf("  judge, PCH, cache hits     %7.2f  %.2fx (goal >= 3x)\n", cached, cached / base);
  bench_assert(**with_pch, programs, salt + 2 * programs);
  return 0;
}
