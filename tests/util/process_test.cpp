// util/process.h: exit codes and signals as the shell reports them, captured stdout, an empty
// environment, descriptors passed at chosen numbers, signal dispositions reset in the child,
// and a clear error for a program that is not there.
#include "util/process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "util/files.h"

namespace stepcoder {
namespace {

TEST(ProcessTest, ExitCodeAndCapturedStdout) {
  auto r = run_process({"/bin/sh", "-c", "echo hello; exit 3"}, /*capture_stdout=*/true);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 3);
  EXPECT_EQ(r->stdout_text, "hello\n");
}

TEST(ProcessTest, ASignalComesBackAs128PlusItsNumber) {
  auto r = run_process({"/bin/sh", "-c", "kill -9 $$"}, true);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 128 + SIGKILL);
}

TEST(ProcessTest, AMissingProgramIsAnErrorNamingIt) {
  auto r = run_process({"/nonexistent/stepcoder-helper"}, true);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("/nonexistent/stepcoder-helper"), std::string::npos) << r.error();
  EXPECT_FALSE(run_process({}, true));
}

TEST(ProcessTest, EnvironmentIsInheritedOrEmpty) {
  ::setenv("STEPCODER_PROCESS_TEST", "seen", 1);
  auto inherit = run_process({"/usr/bin/env"}, true);
  ASSERT_TRUE(inherit) << inherit.error();
  EXPECT_NE(inherit->stdout_text.find("STEPCODER_PROCESS_TEST=seen"), std::string::npos);
  SpawnOptions o;
  o.inherit_env = false;
  auto empty = run_process({"/usr/bin/env"}, true, o);
  ASSERT_TRUE(empty) << empty.error();
  EXPECT_EQ(empty->stdout_text, "");
}

TEST(ProcessTest, StdioFilesAndPassedDescriptors) {
  auto dir = TempDir::create("stepcoder-process");
  ASSERT_TRUE(dir) << dir.error();
  const std::string in = dir->file("in.txt"), out = dir->file("out.txt");
  ASSERT_TRUE(write_file_atomic(in, "from stdin\n"));
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  SpawnOptions o;
  o.stdin_path = in, o.stdout_path = out, o.stderr_to_stdout = true;
  o.fds = {{p[1], 5}};
  auto pid = spawn_process({"/bin/sh", "-c", "cat; echo oops >&2; echo via-fd >&5"}, o);
  ::close(p[1]);
  ASSERT_TRUE(pid) << pid.error();
  char buf[64] = {};
  const ssize_t n = ::read(p[0], buf, sizeof buf - 1);
  ::close(p[0]);
  auto status = wait_process(*pid);
  ASSERT_TRUE(status) << status.error();
  EXPECT_EQ(*status, 0);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "via-fd\n");
  EXPECT_EQ(*read_file(out), "from stdin\noops\n");
}

TEST(ProcessTest, TheChildDoesNotInheritIgnoredOrBlockedSignals) {
  struct sigaction ign = {}, old = {};
  ign.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGTERM, &ign, &old), 0);
  sigset_t block, old_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &block, &old_mask), 0);
  auto term = run_process({"/bin/sh", "-c", "kill -TERM $$; sleep 5"}, true);
  auto usr1 = run_process({"/bin/sh", "-c", "kill -USR1 $$; sleep 5"}, true);
  ::sigaction(SIGTERM, &old, nullptr);
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  ASSERT_TRUE(term) << term.error();
  ASSERT_TRUE(usr1) << usr1.error();
  EXPECT_EQ(term->status, 128 + SIGTERM);
  EXPECT_EQ(usr1->status, 128 + SIGUSR1);
}

}  // namespace
}  // namespace stepcoder
