// Loading the hostile programs: see hostile_programs.h.
#include "tests/sandbox/hostile_programs.h"

#include <sys/socket.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "util/files.h"

namespace stepcoder::sandbox::test_support {

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

std::vector<JudgeRequest> run_requests(const std::vector<Hostile>& programs) {
  std::vector<JudgeRequest> reqs;
  for (const auto& h : programs) {
    JudgeRequest r;
    r.program = h.source;
    r.tests.cases.push_back({"", std::nullopt});
    reqs.push_back(r);
  }
  return reqs;
}

}  // namespace stepcoder::sandbox::test_support
