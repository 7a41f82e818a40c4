// The judge run by an unprivileged user, as on a developer's machine: its boxes make user
// namespaces of their own (one uid, no capabilities), and the same hostile programs are
// contained, the judge alive and its scratch space gone afterwards. The test forks before
// anything else runs in this binary and becomes nobody in the child, which reports back.
#include <gtest/gtest.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "sandbox/pool.h"
#include "tests/sandbox/hostile_programs.h"
#include "tests/sandbox/test_judge.h"
#include "util/files.h"

namespace stepcoder::sandbox {
namespace {

constexpr uid_t kNobody = 65534;

// The programs that reach for other processes, host files and metadata, read before the fork
// (nobody may not be able to read the checkout).
std::vector<test_support::Hostile> chosen_programs() {
  const std::set<std::string> chosen = {
      "kill_sweep.cpp", "kill_all.cpp", "kill_parent.cpp", "prlimit_others.cpp", "fcntl_setown.cpp",
      "fcntl_setsig.cpp", "affinity_sweep.cpp", "setpriority_others.cpp", "stat_host_path.cpp",
      "stat_empty_path_trick.cpp", "incbin_passwd.cpp", "incbin_judge_cwd.cpp", "include_proc_environ.cpp",
      "include_proc_root.cpp", "has_include_oracle.cpp", "read_passwd.cpp", "fork_bomb.cpp",
      "ptrace.cpp", "max_rss_small.cpp", "prlimit_self_ok.cpp"};
  std::vector<test_support::Hostile> programs;
  for (auto& h : test_support::load_hostile())
    if (chosen.count(h.name)) programs.push_back(h);
  EXPECT_EQ(programs.size(), chosen.size());
  return programs;
}

// Judges as nobody; returns one line per surprise ("" when everything held).
std::string judge_as_nobody(const std::vector<test_support::Hostile>& programs) {
  auto tmp = TempDir::create("stepcoder-nonroot");
  if (!tmp) return "temp dir: " + tmp.error() + "\n";
  SandboxConfig cfg = test_support::test_config();
  cfg.cache_dir = tmp->file("cache");
  cfg.run.memory_mb = 96;
  cfg.run.wall_ms = 3000;
  std::string out;
  {
    auto judge = SandboxJudge::create(cfg);
    if (!judge) return "create: " + judge.error() + "\n";
    std::vector<JudgeRequest> reqs = test_support::run_requests(programs);
    JudgePool pool(**judge, 2);
    std::vector<JudgeResult> results = pool.judge_all(reqs);
    for (size_t i = 0; i < programs.size(); ++i) {
      if (results[i].verdict != programs[i].expected)
        out += programs[i].name + ": " + verdict_name(results[i].verdict) + " (" + results[i].message + ")\n";
      if (!programs[i].must_not_leak.empty() && results[i].message.find(programs[i].must_not_leak) != std::string::npos)
        out += programs[i].name + ": leaked into the message\n";
    }
    // Tests apart from the program work without root too; an early exit does not pass.
    JudgeRequest add;
    add.program = "#include <bits/stdc++.h>\nint add(int a, int b) {\n  return a + b;\n}\n";
    add.tests.kind = Tests::Kind::Assert;
    add.tests.code = "int main() { assert(add(1, 2) == 3); }\n";
    add.tests.entry = {"add", "int add(int a, int b)", "#include <bits/stdc++.h>\n"};
    JudgeResult ok = (*judge)->judge(add);
    if (ok.verdict != Verdict::Passed || ok.isolation != Isolation::Split) out += "split tests: " + ok.message + "\n";
    add.program = "#include <bits/stdc++.h>\nint add(int a, int b) {\n  exit(0);\n}\n";
    JudgeResult early = (*judge)->judge(add);
    if (early.verdict != Verdict::RuntimeError) out += "early exit: " + std::string(verdict_name(early.verdict)) + "\n";
  }
  // The judge's scratch space (its slots) is gone with it.
  for (const auto& e : std::filesystem::directory_iterator("/tmp")) {
    struct stat st;
    if (e.path().filename().string().rfind("stepcoder-slots", 0) == 0 && ::stat(e.path().c_str(), &st) == 0 &&
        st.st_uid == kNobody)
      out += "left behind: " + e.path().string() + "\n";
  }
  return out;
}

TEST(NonRootJudgeTest, ContainsTheSameProgramsAsNobody) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root, to run the judge as another user";
  std::vector<test_support::Hostile> programs = chosen_programs();
  // The box, where nobody can run it whatever the checkout's permissions.
  auto helpers = TempDir::create("stepcoder-nonroot-helpers");
  ASSERT_TRUE(helpers) << helpers.error();
  auto box = find_helper("stepcoder-box");
  ASSERT_TRUE(box) << box.error();
  std::filesystem::copy_file(*box, helpers->file("stepcoder-box"));
  ::chmod(helpers->path().c_str(), 0755);
  ::chmod(helpers->file("stepcoder-box").c_str(), 0755);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    std::string report;
    ::setenv("STEPCODER_HELPERS", helpers->path().c_str(), 1);
    if (::chdir("/") != 0 || ::setgroups(0, nullptr) != 0 || ::setresgid(kNobody, kNobody, kNobody) != 0 ||
        ::setresuid(kNobody, kNobody, kNobody) != 0)
      report = "cannot become nobody\n";
    else
      report = judge_as_nobody(programs);
    ssize_t n = ::write(fds[1], report.data(), report.size());
    ::_exit(n == static_cast<ssize_t>(report.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string report;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) report.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  EXPECT_EQ(report, "");
}

}  // namespace
}  // namespace stepcoder::sandbox
