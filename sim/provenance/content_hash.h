#pragma once
// SHA-256 of bytes and of files, as lowercase hex (OpenSSL's libcrypto, Debian's libssl-dev): the
// identity of a scenario, profile or trace in results' provenance and the sweep run store's keys.
#include <string>

namespace recsim {

std::string sha256_hex(const std::string& bytes);

// Throws std::runtime_error naming the path when the file cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace recsim
