// Hostile programs (tests/sandbox/hostile/*.cpp, each naming its expected verdict in a
// `// expect: VERDICT` line) must be contained with that verdict, leaving no file and no
// process behind. Socket programs are generated for every address family.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include "sandbox/pool.h"
#include "tests/sandbox/test_judge.h"
#include "util/files.h"

namespace stepcoder::sandbox {
namespace {

struct Hostile {
  std::string name, source;
  Verdict expected;
  std::string must_not_leak;  // text that must not appear in diagnostics or output
};

std::vector<Hostile> load_hostile() {
  std::vector<Hostile> out;
  std::string dir = std::string(STEPCODER_SOURCE_DIR) + "/tests/sandbox/hostile";
  static const std::regex expect_re(R"(// expect: (\w+))"), leak_re(R"(// no-leak: (.+))");
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    auto text = read_file(e.path().string());
    if (!text) continue;
    std::smatch m;
    Hostile h{e.path().filename().string(), *text, Verdict::Passed, ""};
    if (std::regex_search(*text, m, expect_re)) {
      auto v = parse_verdict(m[1].str());
      h.expected = v ? *v : Verdict::Passed;
    }
    if (std::regex_search(*text, m, leak_re)) h.must_not_leak = m[1];
    out.push_back(h);
  }
  // One socket program per address family, every family the kernel headers define: all are
  // forbidden, whether or not this kernel supports the family.
  for (int family = 1; family < AF_MAX; ++family) {
    out.push_back({"socket_family_" + std::to_string(family),
                   "#include <sys/socket.h>\nint main() { return socket(" + std::to_string(family) +
                       ", SOCK_STREAM, 0) < 0 ? 1 : 0; }\n",
                   Verdict::Violation, ""});
  }
  out.push_back({"socketpair", "#include <sys/socket.h>\nint main() { int sv[2]; return socketpair(AF_UNIX, SOCK_STREAM, 0, sv); }\n",
                 Verdict::Violation, ""});
  std::sort(out.begin(), out.end(), [](const Hostile& a, const Hostile& b) { return a.name < b.name; });
  return out;
}

// Processes of the unprivileged user the judge runs programs as.
int nobody_processes() {
  int n = 0;
  DIR* d = ::opendir("/proc");
  if (!d) return 0;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    struct stat st;
    std::string p = std::string("/proc/") + e->d_name;
    if (::stat(p.c_str(), &st) == 0 && st.st_uid == 65534) ++n;
  }
  ::closedir(d);
  return n;
}

std::vector<std::string> hostile_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator("/tmp"))
    if (e.path().filename().string().rfind("stepcoder-hostile", 0) == 0) out.push_back(e.path());
  return out;
}

TEST(HostileTest, EveryProgramIsContainedWithItsVerdict) {
  std::vector<Hostile> programs = load_hostile();
  ASSERT_GE(programs.size(), 90u);
  // A file the delete/rename programs aim at; it must survive.
  const std::string victim = "/tmp/stepcoder-hostile-victim";
  ASSERT_TRUE(write_file_atomic(victim, "keep"));
  ::chmod(victim.c_str(), 0666);
  int before = nobody_processes();

  std::vector<JudgeRequest> reqs;
  for (const auto& h : programs) {
    JudgeRequest r;
    r.program = h.source;
    r.tests.cases.push_back({"", std::nullopt});
    reqs.push_back(r);
  }
  // A small memory limit, so memory bombs reach it long before the wall clock even on a loaded
  // machine; it still exceeds the 64 MiB stack that deep recursion exhausts first.
  SandboxConfig cfg = test_support::test_config();
  cfg.run.memory_mb = 96;
  cfg.run.wall_ms = 3000;
  auto judge = SandboxJudge::create(cfg);
  ASSERT_TRUE(judge) << judge.error();
  JudgePool pool(**judge, 2);
  std::vector<JudgeResult> results = pool.judge_all(reqs);
  for (size_t i = 0; i < programs.size(); ++i) {
    const Hostile& h = programs[i];
    const JudgeResult& r = results[i];
    EXPECT_EQ(r.verdict, h.expected) << h.name << ": got " << verdict_name(r.verdict) << " — "
                                     << r.message;
    if (!h.must_not_leak.empty()) {
      for (const auto& d : r.diagnostics)
        EXPECT_EQ(d.message.find(h.must_not_leak), std::string::npos) << h.name << ": " << d.message;
      EXPECT_EQ(r.message.find(h.must_not_leak), std::string::npos) << h.name;
    }
  }
  EXPECT_EQ(nobody_processes(), before) << "a judged program outlived its run";
  auto files = hostile_files();
  EXPECT_EQ(files, std::vector<std::string>{victim}) << "a judged program created or removed a file";
  auto kept = read_file(victim);
  EXPECT_TRUE(kept && *kept == "keep");
  ::unlink(victim.c_str());
}

}  // namespace
}  // namespace stepcoder::sandbox
