// The unit-test generation pipeline: see testgen.h. Judging happens in phases over all tasks
// at once (printer runs, reruns after crashes, verification), each phase one JudgePool batch,
// so the work is parallel and the result does not depend on thread timing.
#include "tasks/testgen/testgen.h"

#include <chrono>
#include <optional>
#include <set>

#include "sandbox/pool.h"
#include "tasks/testgen/signature.h"
#include "tasks/testgen/source.h"
#include "tasks/testgen/values.h"

namespace stepcoder::tasks {

const char* gen_status_name(GenStatus s) {
  switch (s) {
    case GenStatus::Generated: return "generated";
    case GenStatus::NoReference: return "no_reference";
    case GenStatus::Unsupported: return "unsupported";
    case GenStatus::PrinterFailed: return "printer_failed";
    case GenStatus::NoValidInputs: return "no_valid_inputs";
    case GenStatus::HardCoded: return "hard_coded";
    case GenStatus::VerifyFailed: return "verify_failed";
  }
  return "?";
}

std::vector<std::string> TestGenReport::ids(GenStatus s) const {
  std::vector<std::string> out;
  for (const TaskGen& t : tasks) {
    if (t.status == s) out.push_back(t.task_id);
  }
  return out;
}

namespace {

// One task on its way through the phases.
struct Work {
  size_t index = 0;  // into the problem list
  Signature sig;
  std::vector<std::string> calls;  // drawn inputs first, then calls of the visible tests
  size_t drawn = 0;
  std::vector<std::optional<Value>> outputs;
  bool with_originals = true;
  int start = 0;  // the next printer run starts at this call
  bool running = true;
};

std::vector<std::string> draw_calls(const Signature& sig, const std::string& task_id,
                                    const TestGenOptions& opts) {
  Rng rng(stable_hash(task_id, opts.seed));
  int edges = std::min(4, std::max(1, opts.per_task / 2));
  std::set<std::string> seen;
  std::vector<std::string> calls;
  for (int j = 0; j < opts.per_task * 3 && static_cast<int>(calls.size()) < opts.per_task; ++j) {
    std::string call = sig.name + "(";
    for (size_t p = 0; p < sig.params.size(); ++p) {
      const ParamSpec& param = sig.params[p];
      std::string lit = cpp_literal(make_value(param.type, rng, j < edges ? j : -1), param.type);
      call += (p ? ", " : "") + (param.mutable_ref ? "stepcoder_lvalue(" + lit + ")" : lit);
    }
    call += ")";
    if (seen.insert(call).second) calls.push_back(call);
  }
  return calls;
}

// Mines every signature in one Clang parse; tasks without a reference or a supported
// signature are settled here.
Expected<std::vector<Work>> prepare(const std::vector<Problem>& problems, const TestGenOptions& opts,
                                    std::vector<TaskGen>* tasks) {
  std::vector<size_t> candidates;
  std::vector<std::string> decls;
  for (size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    (*tasks)[i].task_id = p.task_id;
    std::string decl = declaration_of(p.canonical_program(), p.entry_point);
    if (p.canonical_solution.empty() || decl.empty()) {
      (*tasks)[i].detail = p.canonical_solution.empty() ? "no reference solution" : "no entry point declaration";
      continue;
    }
    candidates.push_back(i);
    decls.push_back(decl);
  }
  auto sigs = mine_signatures(decls);
  if (!sigs) return Error(sigs.error());
  std::vector<Work> work;
  for (size_t k = 0; k < candidates.size(); ++k) {
    size_t i = candidates[k];
    if (!(*sigs)[k].supported()) {
      (*tasks)[i].status = GenStatus::Unsupported;
      (*tasks)[i].detail = (*sigs)[k].unsupported;
      continue;
    }
    Work w;
    w.index = i;
    w.sig = (*sigs)[k];
    w.calls = draw_calls(w.sig, problems[i].task_id, opts);
    w.drawn = w.calls.size();
    (*tasks)[i].inputs = static_cast<int>(w.drawn);
    if (problems[i].tests.kind == sandbox::Tests::Kind::Assert) {
      for (std::string& c : original_calls(problems[i].tests.code, w.sig.name, opts.original_calls)) {
        w.calls.push_back(std::move(c));
      }
    }
    w.outputs.resize(w.calls.size());
    work.push_back(std::move(w));
  }
  return work;
}

sandbox::JudgeRequest printer_request(const Work& w, const Problem& p) {
  std::vector<std::string> calls = w.calls;
  if (!w.with_originals) calls.resize(w.drawn);
  sandbox::JudgeRequest req;
  req.program = printer_program(p.canonical_program(), w.sig.ret, calls);
  req.tests.kind = sandbox::Tests::Kind::Io;
  req.tests.cases.push_back({std::to_string(w.start) + "\n", std::nullopt});
  return req;
}

// Takes one printer run's results; a run that stopped early drops the call it was in.
void take_run(Work& w, const sandbox::JudgeResult& r, const TestGenOptions& opts, TaskGen& task) {
  ++task.runs;
  int n = static_cast<int>(w.with_originals ? w.calls.size() : w.drawn);
  if (r.verdict == sandbox::Verdict::CompileError) {
    if (w.with_originals && w.calls.size() > w.drawn) {
      w.with_originals = false;  // the visible tests' calls may name their own variables
      w.start = 0;
      return;
    }
    w.running = false;
    task.status = GenStatus::PrinterFailed;
    task.detail = "the reference does not compile with the printer: " + r.message;
    return;
  }
  PrinterOutput out = parse_printer_output(r.tests.empty() ? "" : r.tests[0].stdout_text);
  for (const auto& [index, payload] : out.payloads) {
    if (index < w.start || index >= n) continue;
    auto v = parse_printed(payload, w.sig.ret);
    if (v) w.outputs[index] = std::move(*v);
  }
  if (out.finished) {
    w.running = false;
    return;
  }
  w.start = std::max(out.last, w.start - 1) + 2;  // skip the call that crashed or hung
  if (task.runs >= opts.max_runs || w.start >= n) w.running = false;
}

void run_printers(std::vector<Work>& work, const std::vector<Problem>& problems, sandbox::JudgePool& pool,
                  const TestGenOptions& opts, TestGenReport& report, const GenProgress& progress) {
  for (int round = 1;; ++round) {
    std::vector<Work*> active;
    std::vector<sandbox::JudgeRequest> reqs;
    for (Work& w : work) {
      if (!w.running) continue;
      active.push_back(&w);
      reqs.push_back(printer_request(w, problems[w.index]));
    }
    if (active.empty()) return;
    std::string phase = "reference runs, round " + std::to_string(round);
    auto results = pool.judge_all(reqs, [&](size_t done) {
      if (progress) progress(phase, done, reqs.size());
    });
    report.judge_calls += static_cast<int>(reqs.size());
    for (size_t k = 0; k < active.size(); ++k) {
      take_run(*active[k], results[k], opts, report.tasks[active[k]->index]);
    }
  }
}

// The generated checks, or why there are none (status set on `task`).
std::vector<Check> checks_of(const Work& w, TaskGen& task) {
  std::vector<Check> checks;
  for (size_t k = 0; k < w.drawn; ++k) {
    if (w.outputs[k]) checks.push_back({w.calls[k], *w.outputs[k]});
  }
  task.kept = static_cast<int>(checks.size());
  if (checks.empty()) {
    task.status = GenStatus::NoValidInputs;
    task.detail = "the reference crashed or timed out on every input";
    return checks;
  }
  bool constant = checks.size() >= 3;
  for (const Check& c : checks) constant = constant && c.expected == checks[0].expected;
  for (size_t k = w.drawn; constant && k < w.calls.size(); ++k) {
    if (w.outputs[k] && *w.outputs[k] != checks[0].expected) {
      task.status = GenStatus::HardCoded;
      task.detail = "returns " + cpp_literal(checks[0].expected, w.sig.ret) + " on all " +
                    std::to_string(checks.size()) + " new inputs but " +
                    cpp_literal(*w.outputs[k], w.sig.ret) + " on the visible " + w.calls[k];
      return {};
    }
  }
  return checks;
}

}  // namespace

Expected<TestGenReport> generate_tests(std::vector<Problem> problems, sandbox::Judge& judge,
                                       const TestGenOptions& opts, const GenProgress& progress) {
  auto t0 = std::chrono::steady_clock::now();
  TestGenReport report;
  report.tasks.resize(problems.size());
  auto work = prepare(problems, opts, &report.tasks);
  if (!work) return Error("generating tests: " + work.error());
  sandbox::JudgePool pool(judge, opts.workers);
  run_printers(*work, problems, pool, opts, report, progress);
  std::vector<Work*> verified;
  std::vector<std::string> codes;
  std::vector<sandbox::JudgeRequest> reqs;
  for (Work& w : *work) {
    TaskGen& task = report.tasks[w.index];
    if (task.status == GenStatus::PrinterFailed) continue;
    std::vector<Check> checks = checks_of(w, task);
    if (checks.empty()) continue;
    auto code = assemble_test_code(checks, w.sig.ret, problems[w.index].tests);
    if (!code) {
      task.status = GenStatus::VerifyFailed;
      task.detail = code.error();
      continue;
    }
    sandbox::JudgeRequest req = problems[w.index].request(problems[w.index].canonical_solution);
    req.tests.kind = sandbox::Tests::Kind::Assert;
    req.tests.code = *code;
    verified.push_back(&w);
    codes.push_back(*code);
    reqs.push_back(std::move(req));
  }
  auto results = pool.judge_all(reqs, [&](size_t done) {
    if (progress) progress("verification", done, reqs.size());
  });
  report.judge_calls += static_cast<int>(reqs.size());
  for (size_t k = 0; k < verified.size(); ++k) {
    Problem& p = problems[verified[k]->index];
    TaskGen& task = report.tasks[verified[k]->index];
    if (results[k].verdict == sandbox::Verdict::Passed) {
      task.status = GenStatus::Generated;
      p.tests.kind = sandbox::Tests::Kind::Assert;
      p.tests.cases.clear();
      p.tests.code = codes[k];
    } else {
      task.status = GenStatus::VerifyFailed;
      task.detail = std::string(sandbox::verdict_name(results[k].verdict)) + ": " + results[k].message;
    }
  }
  report.problems = std::move(problems);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

Json testgen_summary(const TestGenReport& report) {
  Json j = {{"problems", report.problems.size()}, {"judge_calls", report.judge_calls},
            {"seconds", report.seconds}};
  int drawn = 0, kept = 0, checks = 0;
  for (const TaskGen& t : report.tasks) {
    drawn += t.inputs;
    kept += t.kept;
    if (t.status == GenStatus::Generated) checks += t.kept;
  }
  j["inputs_drawn"] = drawn;
  j["inputs_kept"] = kept;
  j["generated_checks"] = checks;
  for (GenStatus s : {GenStatus::Generated, GenStatus::NoReference, GenStatus::Unsupported,
                      GenStatus::PrinterFailed, GenStatus::NoValidInputs, GenStatus::HardCoded,
                      GenStatus::VerifyFailed}) {
    j["counts"][gen_status_name(s)] = report.ids(s).size();
  }
  Json details = Json::object();
  for (const TaskGen& t : report.tasks) {
    if (t.status == GenStatus::Generated || t.status == GenStatus::NoReference) continue;
    details[gen_status_name(t.status)].push_back({{"task_id", t.task_id}, {"why", t.detail}});
  }
  j["details"] = details;
  return j;
}

}  // namespace stepcoder::tasks
