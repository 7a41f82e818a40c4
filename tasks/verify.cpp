// Batched judging of reference solutions: see verify.h.
#include "tasks/verify.h"

#include <set>
#include <sstream>

#include "sandbox/pool.h"

namespace stepcoder::tasks {

bool plain_assert_lines(const std::string& test_code, std::vector<std::string>* lines) {
  std::istringstream in(test_code);
  std::string line;
  if (!std::getline(in, line) || line != "int main() {") return false;
  lines->clear();
  bool returned = false;
  while (std::getline(in, line)) {
    if (returned) return line == "}" && !std::getline(in, line);
    if (line == "    return 0;") {
      returned = true;
    } else if (line.rfind("    assert(", 0) == 0) {
      lines->push_back(line);
    } else {
      return false;
    }
  }
  return false;
}

namespace {

struct Batch {
  std::vector<size_t> members;
  sandbox::JudgeRequest request;
};

// Groups batchable problems so that no entry point repeats inside a batch.
std::vector<Batch> make_batches(const std::vector<Problem>& problems, int batch_size,
                                std::vector<size_t>* singles) {
  std::vector<Batch> batches;
  std::vector<std::set<std::string>> names;
  for (size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    std::vector<std::string> lines;
    if (p.tests.kind != sandbox::Tests::Kind::Assert || p.entry_point.empty() ||
        !plain_assert_lines(p.tests.code, &lines)) {
      singles->push_back(i);
      continue;
    }
    size_t b = 0;
    while (b < batches.size() && (static_cast<int>(batches[b].members.size()) >= batch_size ||
                                  names[b].count(p.entry_point))) {
      ++b;
    }
    if (b == batches.size()) {
      batches.emplace_back();
      batches.back().request.tests.kind = sandbox::Tests::Kind::Assert;
      batches.back().request.tests.code = "int main() {\n";
      names.emplace_back();
    }
    Batch& batch = batches[b];
    batch.members.push_back(i);
    names[b].insert(p.entry_point);
    batch.request.program += p.canonical_program() + "\n";
    for (const std::string& l : lines) batch.request.tests.code += l + "\n";
  }
  for (Batch& batch : batches) batch.request.tests.code += "    return 0;\n}\n";
  return batches;
}

}  // namespace

VerifyReport verify_canonical(const std::vector<Problem>& problems, sandbox::Judge& judge,
                              int workers, int batch_size) {
  std::vector<size_t> singles;
  std::vector<Batch> batches = make_batches(problems, batch_size, &singles);
  sandbox::JudgePool pool(judge, workers);
  std::vector<sandbox::JudgeRequest> requests;
  for (const Batch& b : batches) requests.push_back(b.request);
  std::vector<sandbox::JudgeResult> results = pool.judge_all(requests);
  VerifyReport report;
  report.programs = static_cast<int>(requests.size());
  for (size_t b = 0; b < batches.size(); ++b) {
    if (results[b].verdict == sandbox::Verdict::Passed) {
      report.passed += static_cast<int>(batches[b].members.size());
    } else {
      singles.insert(singles.end(), batches[b].members.begin(), batches[b].members.end());
    }
  }
  requests.clear();
  for (size_t i : singles) requests.push_back(problems[i].request(problems[i].canonical_solution));
  results = pool.judge_all(requests);
  report.programs += static_cast<int>(requests.size());
  for (size_t k = 0; k < singles.size(); ++k) {
    if (results[k].verdict == sandbox::Verdict::Passed) {
      ++report.passed;
    } else {
      report.failures.push_back({problems[singles[k]].task_id, sandbox::verdict_name(results[k].verdict),
                                 results[k].message});
    }
  }
  report.judged = static_cast<int>(problems.size());
  return report;
}

}  // namespace stepcoder::tasks
