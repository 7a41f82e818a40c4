// A small synthetic corpus of C++ function tasks for the model tests: enough words,
// operators and indentation to train a tokenizer and overfit a tiny model in seconds.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace stepcoder::model::testing {

// (prompt, completion) pairs in the project's function-level style: the prompt ends with the
// signature and "{\n", the completion is the body and the closing brace.
inline std::vector<std::pair<std::string, std::string>> synthetic_tasks(int n) {
  const char* ops[] = {"+", "-", "*"};
  const char* names[] = {"add_values", "sub_values", "mul_values"};
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < n; ++i) {
    int op = i % 3, k = i % 10;
    std::string name = std::string(names[op]) + "_" + std::to_string(k);
    std::string prompt = "// Return a " + std::string(ops[op]) + " b " + std::string(ops[op]) + " " +
                         std::to_string(k) + ".\nint " + name + "(int a, int b) {\n";
    std::string body = "    int result = a " + std::string(ops[op]) + " b;\n    return result " +
                       std::string(ops[op]) + " " + std::to_string(k) + ";\n}\n";
    out.emplace_back(prompt, body);
  }
  return out;
}

inline std::vector<std::string> synthetic_texts(int n) {
  std::vector<std::string> texts;
  for (auto& [p, c] : synthetic_tasks(n)) texts.push_back(p + c);
  texts.push_back("Compute the sum of the values; print it.\n\tTabs, caf\xC3\xA9 and ~x ^ y.");
  return texts;
}

}  // namespace stepcoder::model::testing
