// Split assert tests: see split_harness.h.
#include "sandbox/split_harness.h"

#include <cctype>

#include "sandbox/call_codec.h"
#include "sandbox/compiler.h"

namespace stepcoder::sandbox {

namespace {

// The test process's side of a call: encode, send, wait, decode. A program that ends, stops
// reading or answers with anything but a well-formed reply to this call ends the test code
// there ('E'); an exception that the entry point threw is rethrown as std::runtime_error, as
// it would have reached the test code in one process.
constexpr const char* kCaller = R"HARNESS(
#include <csignal>
namespace __sc {
static uint32_t calls = 0;
// A program that is gone makes a write fail with EPIPE, not kill the test process.
static const int no_sigpipe = (::signal(SIGPIPE, SIG_IGN), 0);
[[noreturn]] inline void ended(const std::string& what, uint32_t id, const char* name) {
  std::string t = "the program " + what + " during call " + std::to_string(id) + " (" + name + ")";
  ::__sc_rep::record('E', t.data(), t.size());
  exit_now(3);
}
inline void finish(R& r, uint32_t id, const char* name) {
  if (r.bad || r.p != r.e) ended("sent a malformed reply", id, name);
}
template <class Ret> struct fin {
  template <class F, size_t... I, class... P> static Ret run(R& r, uint32_t id, const char* name, seq<I...>, P&... a) {
    Ret v;
    get(r, v);
    int d[] = {0, (get_out<F, I>(r, a), 0)...};
    (void)d;
    finish(r, id, name);
    return v;
  }
};
template <> struct fin<void> {
  template <class F, size_t... I, class... P> static void run(R& r, uint32_t id, const char* name, seq<I...>, P&... a) {
    int d[] = {0, (get_out<F, I>(r, a), 0)...};
    (void)d;
    finish(r, id, name);
  }
};
template <class F, class... P> ret<F> call(const char* name, P&... a) {
  static_assert(!std::is_reference<ret<F>>::value, "reference return types are not supported");
  W w;
  uint32_t id = ++calls;
  put(w, id);
  int d[] = {0, (put(w, static_cast<const typename std::decay<P>::type&>(a)), 0)...};
  (void)d;
  if (!send_frame(5, w)) ended("stopped taking calls", id, name);
  Frame f;
  if (!recv_frame(6, f)) ended("ended", id, name);
  R r = f.reader();
  uint32_t echo = 0;
  uint8_t status = 0;
  get(r, echo);
  get(r, status);
  if (r.bad || echo != id) ended("sent a malformed reply", id, name);
  if (status == 1) {
    std::string what;
    get(r, what);
    finish(r, id, name);
    throw std::runtime_error(what);
  }
  if (status != 0) {
    finish(r, id, name);
    throw std::runtime_error("(non-standard exception)");
  }
  return fin<ret<F>>::template run<F>(r, id, name, typename make_seq<sizeof...(P)>::type(), a...);
}
}  // namespace __sc
)HARNESS";

// The program's side: one call per frame until the test process closes the channel.
constexpr const char* kServer = R"HARNESS(
namespace __sc {
template <class Ret> struct invoke {
  template <class Fn, class V, size_t... I> static void run(W& w, Fn fn, V& v, seq<I...>) {
    Ret x = fn(std::get<I>(v)...);
    put(w, x);
  }
};
template <> struct invoke<void> {
  template <class Fn, class V, size_t... I> static void run(W&, Fn fn, V& v, seq<I...>) { fn(std::get<I>(v)...); }
};
template <class F, class V, size_t... I> void put_outs(W& w, V& v, seq<I...>) {
  int d[] = {0, (put_out<F, I>(w, std::get<I>(v)), 0)...};
  (void)d;
}
template <class F> int serve(F* fn) {
  typedef typename sig<F>::values V;
  typedef typename make_seq<std::tuple_size<V>::value>::type S;
  for (;;) {
    Frame f;
    if (!recv_frame(5, f)) return 0;
    R r = f.reader();
    uint32_t id = 0;
    get(r, id);
    V v;
    get(r, v);
    W w;
    put(w, id);
    try {
      W body;
      invoke<ret<F>>::run(body, fn, v, S());
      put_outs<F>(body, v, S());
      put(w, static_cast<uint8_t>(0));
      if (body.size()) w.add(body.p + 4, body.size());
    } catch (const std::exception& e) {
      put(w, static_cast<uint8_t>(1));
      put_text(w, e.what(), std::strlen(e.what()));
    } catch (...) {
      put(w, static_cast<uint8_t>(2));
    }
    if (!send_frame(6, w)) return 0;
  }
}
}  // namespace __sc
)HARNESS";

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Where `name(` starts in the declaration (its last occurrence as a whole word).
size_t name_at(const std::string& decl, const std::string& name) {
  size_t best = std::string::npos;
  for (size_t at = decl.find(name); at != std::string::npos; at = decl.find(name, at + 1)) {
    if (at > 0 && ident_char(decl[at - 1])) continue;
    size_t p = at + name.size();
    while (p < decl.size() && std::isspace(static_cast<unsigned char>(decl[p]))) ++p;
    if (p < decl.size() && decl[p] == '(') best = at;
  }
  return best;
}

std::string stub(const std::string& name, int params) {
  std::string head = "__sc::ret<__sc_F> " + name + "(", call = "return __sc::call<__sc_F>(\"" + name + "\"";
  for (int i = 0; i < params; ++i) {
    std::string p = "__sc_a" + std::to_string(i);
    head += (i ? ", " : "") + std::string("__sc::arg<__sc_F, ") + std::to_string(i) + "> " + p;
    call += ", " + p;
  }
  return head + ") {\n  " + call + ");\n}\n";
}

}  // namespace

int parameter_count(const std::string& decl, const std::string& name) {
  size_t at = name_at(decl, name);
  if (at == std::string::npos) return -1;
  size_t open = decl.find('(', at + name.size());
  int depth = 0, commas = 0;
  bool any = false;
  std::string first;
  for (size_t i = open + 1; i < decl.size(); ++i) {
    char c = decl[i];
    if (c == '(' || c == '<' || c == '[' || c == '{') ++depth;
    if (c == '>' || c == ']' || c == '}') --depth;
    if (c == ')') {
      if (depth == 0) {
        if (!any || first == "void") return 0;
        return commas + 1;
      }
      --depth;
    }
    if (depth < 0) return -1;
    if (c == ',' && depth == 0) ++commas;
    if (!std::isspace(static_cast<unsigned char>(c))) {
      any = true;
      if (commas == 0) first += c;
    }
  }
  return -1;
}

Expected<SplitTests> split_tests(const Tests& tests) {
  const EntryPoint& e = tests.entry;
  if (e.name.empty() || e.declaration.empty()) return Error("the problem declares no entry point");
  int params = parameter_count(e.declaration, e.name);
  if (params < 0) return Error("cannot read the parameters of " + e.name);
  SplitTests out;
  out.checks = rewrite_checks(tests.code);
  std::string decl = "namespace __sc_decl {\n" + e.declaration + ";\n}\n";
  std::string& t = out.tests_source;
  t = std::string("#line 1 \"") + kHarnessFile + "\"\n";
  t += raw_syscall_source();
  t += call_codec_source();
  t += report_runtime_source();
  t += kCaller;
  t += std::string("#line 1 \"") + kInterfaceFile + "\"\n" + e.context;
  if (!t.empty() && t.back() != '\n') t += '\n';
  t += decl;
  t += std::string("#line 1 \"") + kHarnessFile + "\"\n";
  t += "typedef decltype(__sc_decl::" + e.name + ") __sc_F;\n";
  t += stub(e.name, params);
  t += tests_prologue();
  t += std::string("#line 1 \"") + kTestsFile + "\"\n";
  t += out.checks.code;
  t += tests_epilogue("  ::__sc_rep::record('D', \"\", 0);\n");
  out.server = std::string("\n#line 1 \"") + kHarnessFile + "\"\n" + decl + raw_syscall_source() + call_codec_source() + kServer +
               "int main() { return __sc::serve<decltype(__sc_decl::" + e.name + ")>(&" + e.name + "); }\n";
  return out;
}

}  // namespace stepcoder::sandbox
