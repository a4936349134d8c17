#pragma once
// Shared by the libFuzzer targets (scripts/fuzz, docs/robustness.md). Each target feeds one reader
// the fuzzer's bytes and accepts exactly one kind of failure: InputError, the one-line exit-2 error
// of invalid input. Anything else thrown (a type error, an out-of-range access, a logic error: what
// the command line would turn into exit 1) aborts, so the fuzzer reports it like a crash, and the
// sanitizers report memory and undefined-behaviour errors on their own.
#include "workloads/input_error.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace recsim::fuzz {

// The bytes in a file of this process's own (readers that take paths), on a RAM-backed directory
// when there is one.
inline std::string write_input(const std::uint8_t* data, std::size_t size, const char* extension) {
  static const std::string dir = [] {
    const char* shm = "/dev/shm";
    return std::string(::access(shm, W_OK) == 0 ? shm : "/tmp");
  }();
  const std::string path = dir + "/recsim-fuzz-" + std::to_string(::getpid()) + extension;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

// An input of the scenario targets: a scenario's JSON, optionally followed by a line "#set" and one
// PATH=VALUE override per line. Returns the JSON and the overrides.
inline std::pair<std::string, std::vector<std::string>> split_overrides(const std::string& input) {
  std::vector<std::string> overrides;
  const auto at = input.find("\n#set\n");
  if (at == std::string::npos) return {input, overrides};
  std::size_t start = at + 6;
  while (start <= input.size()) {
    const auto end = input.find('\n', start);
    const std::string line = input.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty()) overrides.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {input.substr(0, at), overrides};
}

template <typename F>
void only_input_errors(F&& read) {
  try {
    read();
  } catch (const InputError&) {
    // the expected answer to bad input
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: not an InputError: %s\n", e.what());
    std::abort();
  }
}

}  // namespace recsim::fuzz
