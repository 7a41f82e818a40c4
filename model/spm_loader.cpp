// Finds and loads the SentencePiece module (see spm_bridge.h): next to the executable, in
// the build tree, or where $STEPCODER_SPM_MODULE points.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "model/spm_bridge.h"

namespace stepcoder::model {

namespace {

std::string exe_dir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return ".";
  std::string p(buf, static_cast<size_t>(n));
  return p.substr(0, p.rfind('/'));
}

using CreateFn = SpmBridge* (*)();

CreateFn load_module(std::string* error) {
  static std::once_flag once;
  static CreateFn create = nullptr;
  static std::string load_error;
  std::call_once(once, [] {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("STEPCODER_SPM_MODULE")) candidates.push_back(env);
    const std::string dir = exe_dir();
    candidates.push_back(dir + "/libstepcoder_spm.so");
    candidates.push_back(dir + "/../lib/stepcoder/libstepcoder_spm.so");
#ifdef STEPCODER_SPM_MODULE_PATH
    candidates.push_back(STEPCODER_SPM_MODULE_PATH);
#endif
    std::string tried;
    for (const std::string& path : candidates) {
      if (access(path.c_str(), R_OK) != 0) {
        tried += " " + path;
        continue;
      }
      void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
      if (!h) {
        load_error = std::string("dlopen ") + path + ": " + dlerror();
        return;
      }
      create = reinterpret_cast<CreateFn>(dlsym(h, "stepcoder_spm_create"));
      if (!create) load_error = path + ": no stepcoder_spm_create symbol";
      return;
    }
    load_error = "the SentencePiece module libstepcoder_spm.so was not found (tried" + tried +
                 "); set STEPCODER_SPM_MODULE to its path";
  });
  if (!create && error) *error = load_error;
  return create;
}

}  // namespace

SpmBridge* create_spm_bridge(std::string* error) {
  CreateFn create = load_module(error);
  return create ? create() : nullptr;
}

}  // namespace stepcoder::model
