// Hostile programs (tests/sandbox/hostile/*.cpp, each naming its expected verdict in a
// `// expect: VERDICT` line) must be contained with that verdict, leaving no file and no
// process behind. Socket programs are generated for every address family, and programs that
// name host files at compile time (#include, .incbin) for files this test writes: a secret in
// none of the judge's output, diagnostics or cached binaries afterwards.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>

#include "sandbox/pool.h"
#include "tests/sandbox/hostile_programs.h"
#include "tests/sandbox/test_judge.h"
#include "util/files.h"

namespace stepcoder::sandbox {
namespace {

using test_support::Hostile;
using test_support::load_hostile;

// Programs that name `path` at compile time; `token` is in the file and must leak nowhere.
void add_host_file_programs(const std::string& path, const std::string& token, std::vector<Hostile>* out) {
  std::string tag = std::filesystem::path(path).parent_path().filename().string();
  out->push_back({"include_" + tag, "#include \"" + path + "\"\nint main() {}\n", Verdict::CompileError, token});
  out->push_back({"incbin_" + tag,
                  "#include <cstdio>\nasm(\".section .rodata\\n.global stolen\\nstolen:\\n.incbin \\\"" + path +
                      "\\\"\\n.byte 0\\n.text\\n\");\nextern \"C\" const char stolen[];\n"
                      "int main() { std::puts(stolen); }\n",
                  Verdict::CompileError, token});
  out->push_back({"has_include_" + tag,
                  "#if __has_include(\"" + path + "\")\nint main() { return 1; }\n#else\nint main() { return 0; }\n#endif\n",
                  Verdict::Passed, token});
}

// Processes of the uids a judge runs compilers, programs and tests as.
int judged_processes(const SandboxJudge& judge) {
  auto [first, last] = judge.uid_range();
  int n = 0;
  DIR* d = ::opendir("/proc");
  if (!d) return 0;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    struct stat st;
    std::string p = std::string("/proc/") + e->d_name;
    if (::stat(p.c_str(), &st) == 0 && st.st_uid >= first && st.st_uid <= last) ++n;
  }
  ::closedir(d);
  return n;
}

// Whether `token` is in any file under `dir` (the compile cache: binaries, PCHs).
std::string file_holding(const std::string& dir, const std::string& token) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto text = read_file(it->path().string());
    if (text && text->find(token) != std::string::npos) return it->path().string();
  }
  return "";
}

std::vector<std::string> hostile_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator("/tmp"))
    if (e.path().filename().string().rfind("stepcoder-hostile", 0) == 0) out.push_back(e.path());
  return out;
}

TEST(HostileTest, EveryProgramIsContainedWithItsVerdict) {
  std::vector<Hostile> programs = load_hostile();
  ASSERT_GE(programs.size(), 110u);
  // A file the delete/rename programs aim at; it must survive.
  const std::string victim = "/tmp/stepcoder-hostile-victim";
  ASSERT_TRUE(write_file_atomic(victim, "keep"));
  ::chmod(victim.c_str(), 0666);
  // Host files with a secret: world-readable in /tmp and beside the problem files, root-only.
  const std::string token = "stepcoder-secret-" + std::to_string(::getpid()) + "-" + std::to_string(::time(nullptr));
  auto tmp = TempDir::create("stepcoder-secret");
  ASSERT_TRUE(tmp) << tmp.error();
  std::string project = std::string(STEPCODER_BINARY_DIR) + "/hostile-secret";
  ASSERT_TRUE(make_dirs(project));
  for (const auto& [path, mode] : std::vector<std::pair<std::string, mode_t>>{
           {tmp->file("open.txt"), 0644}, {project + "/problems.jsonl", 0644}, {tmp->file("root.txt"), 0600}}) {
    ASSERT_TRUE(write_file_atomic(path, token + "\n"));
    ::chmod(path.c_str(), mode);
  }
  ::chmod(tmp->path().c_str(), 0755);
  add_host_file_programs(tmp->file("open.txt"), token, &programs);
  add_host_file_programs(project + "/problems.jsonl", token, &programs);
  programs.push_back({"include_root_only", "#include \"" + tmp->file("root.txt") + "\"\nint main() {}\n",
                      Verdict::CompileError, token});
  std::vector<JudgeRequest> reqs = test_support::run_requests(programs);
  // A small memory limit, so memory bombs reach it long before the wall clock even on a loaded
  // machine; it still exceeds the 64 MiB stack that deep recursion exhausts first. A cache of
  // its own, searched for the secret afterwards.
  SandboxConfig cfg = test_support::test_config();
  cfg.run.memory_mb = 96;
  cfg.run.wall_ms = 3000;
  cfg.cache_dir = std::string(STEPCODER_BINARY_DIR) + "/hostile-cache";
  (void)remove_tree(cfg.cache_dir + "/bin");
  auto judge = SandboxJudge::create(cfg);
  ASSERT_TRUE(judge) << judge.error();
  EXPECT_EQ(judged_processes(**judge), 0);
  JudgePool pool(**judge, 2);
  std::vector<JudgeResult> results = pool.judge_all(reqs);
  for (size_t i = 0; i < programs.size(); ++i) {
    const Hostile& h = programs[i];
    const JudgeResult& r = results[i];
    EXPECT_EQ(r.verdict, h.expected) << h.name << ": got " << verdict_name(r.verdict) << " — "
                                     << r.message;
    if (h.must_not_leak.empty()) continue;
    for (const auto& d : r.diagnostics)
      EXPECT_EQ(d.message.find(h.must_not_leak), std::string::npos) << h.name << ": " << d.message;
    EXPECT_EQ(r.message.find(h.must_not_leak), std::string::npos) << h.name;
    for (const auto& t : r.tests) {
      EXPECT_EQ(t.stdout_text.find(h.must_not_leak), std::string::npos) << h.name;
      EXPECT_EQ(t.stderr_text.find(h.must_not_leak), std::string::npos) << h.name;
      EXPECT_EQ(t.detail.find(h.must_not_leak), std::string::npos) << h.name;
    }
  }
  EXPECT_EQ(file_holding(cfg.cache_dir, token), "") << "a cached file holds the host file's secret";
  EXPECT_EQ(judged_processes(**judge), 0) << "a judged program outlived its run";
  auto files = hostile_files();
  EXPECT_EQ(files, std::vector<std::string>{victim}) << "a judged program created or removed a file";
  auto kept = read_file(victim);
  EXPECT_TRUE(kept && *kept == "keep");
  ::unlink(victim.c_str());
}

// Runs judged at the same time as programs that sweep every pid with kill, prlimit and
// F_SETOWN/F_SETSIG (the other samples of a group, under the group baseline, are worth
// killing): every one of them still passes.
TEST(HostileTest, AttacksOnOtherRunsLeaveThemUntouched) {
  const char* victim = "#include <bits/stdc++.h>\n#include <unistd.h>\n"
                       "int main() { usleep(300000); std::vector<char> v(64 << 20, 1); std::cout << 42 << std::endl; }\n";
  std::vector<std::string> attacks;
  for (const char* name : {"kill_sweep.cpp", "prlimit_others.cpp", "fcntl_setown.cpp", "affinity_sweep.cpp",
                           "setpriority_others.cpp", "kill_all.cpp"}) {
    auto text = read_file(std::string(STEPCODER_SOURCE_DIR) + "/tests/sandbox/hostile/" + name);
    ASSERT_TRUE(text) << name;
    attacks.push_back(*text);
  }
  std::vector<JudgeRequest> reqs;
  for (int round = 0; round < 3; ++round) {
    for (const std::string& a : attacks) {
      JudgeRequest v, x;
      v.program = victim;
      v.tests.cases.push_back({"", "42\n"});
      x.program = a;
      x.tests.cases.push_back({"", std::nullopt});
      reqs.push_back(v);
      reqs.push_back(x);
    }
  }
  JudgePool pool(test_support::shared_judge(), 4);
  std::vector<JudgeResult> results = pool.judge_all(reqs);
  for (size_t i = 0; i < results.size(); i += 2) {
    EXPECT_EQ(results[i].verdict, Verdict::Passed) << "victim " << i / 2 << ": " << results[i].message;
    EXPECT_EQ(results[i + 1].verdict, Verdict::Violation) << results[i + 1].message;
  }
  // The judge itself is untouched: it still judges.
  JudgeResult after = test_support::run_program("int main() { return 0; }\n");
  EXPECT_EQ(after.verdict, Verdict::Passed) << after.message;
}

}  // namespace
}  // namespace stepcoder::sandbox
