// The counter runtime compiled by g++ outside the judge: without descriptor 4 the program runs
// normally on its private counters; a short file at descriptor 4 is not mapped (no fault); and
// compiler messages keep the program's line numbers despite the prelude.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "coverage/instrument.h"
#include "util/files.h"

namespace stepcoder::coverage {
namespace {

InstrumentOptions options() {
  InstrumentOptions o;
  o.cache_dir = STEPCODER_BINARY_DIR "/coverage-cache";
  o.force_include_stdcpp = false;  // these programs include what they use; g++ is run plainly
  return o;
}

// Runs a shell command, returning its exit status and combined output.
int sh(const std::string& cmd, std::string* out) {
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out->append(buf, n);
  int st = ::pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

class Runtime : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("stepcoder-cov-test");
    ASSERT_TRUE(d) << d.error();
    dir_ = std::make_unique<TempDir>(std::move(*d));
  }
  // Instruments `program`, compiles it with g++ and returns the compiler's status.
  int compile(const std::string& program, std::string* messages) {
    auto inst = instrument(program, options());
    EXPECT_TRUE(inst) << inst.error();
    if (!inst) return -1;
    EXPECT_TRUE(write_file_atomic(dir_->file("p.cpp"), inst->source));
    return sh("g++ -std=c++17 -O0 -Wall -o " + dir_->file("p") + " " + dir_->file("p.cpp"),
              messages);
  }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(Runtime, RunsWithoutTheSharedRegion) {
  std::string msgs;
  ASSERT_EQ(compile("#include <cstdio>\nint sq(int x) { return x * x; }\n"
                    "int main() {\n  int s = 0;\n  for (int i = 0; i < 4; ++i) s += sq(i);\n"
                    "  printf(\"%d\\n\", s);\n}\n",
                    &msgs),
            0)
      << msgs;
  std::string out;
  EXPECT_EQ(sh(dir_->file("p"), &out), 0);
  EXPECT_EQ(out, "14\n");
  out.clear();
  // Descriptor 4 open on a short file: the runtime must not map it (a fault past its end).
  ASSERT_TRUE(write_file_atomic(dir_->file("short"), "x"));
  EXPECT_EQ(sh(dir_->file("p") + " 4<>" + dir_->file("short"), &out), 0) << out;
  EXPECT_EQ(out, "14\n");
}

TEST_F(Runtime, CompilerMessagesKeepProgramLines) {
  std::string msgs;
  ASSERT_EQ(compile("int main() {\n  int a = 1;\n#warning third line\n  int unused_here;\n"
                    "  return a;\n}\n",
                    &msgs),
            0)
      << msgs;
  EXPECT_NE(msgs.find("p.cpp:3:2: warning: #warning third line"), std::string::npos) << msgs;
  EXPECT_NE(msgs.find("p.cpp:4:"), std::string::npos) << "unused variable on line 4: " << msgs;
}

}  // namespace
}  // namespace stepcoder::coverage
