#include "sim/provenance/content_hash.h"

#include "sim/provenance/file_memo.h"

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace recsim {
namespace {

struct DigestContext {
  DigestContext() : ctx(EVP_MD_CTX_new()) {
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256: cannot initialise libcrypto's digest");
  }
  ~DigestContext() { EVP_MD_CTX_free(ctx); }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;
  void update(const void* data, std::size_t n) {
    if (EVP_DigestUpdate(ctx, data, n) != 1) throw std::runtime_error("SHA-256: digest update failed");
  }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(ctx, md.data(), &n) != 1) throw std::runtime_error("SHA-256: digest final failed");
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (unsigned int i = 0; i < n; ++i) {
      out += digits[md[i] >> 4];
      out += digits[md[i] & 15];
    }
    return out;
  }
  EVP_MD_CTX* ctx;
};

}  // namespace

std::string sha256_hex(const std::string& bytes) {
  DigestContext d;
  d.update(bytes.data(), bytes.size());
  return d.hex();
}

namespace {

std::string hash_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw std::runtime_error(path + ": cannot read (" + std::strerror(errno) + ")");
  DigestContext d;
  std::array<char, 1 << 16> buffer{};
  for (;;) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), f.get());
    if (n > 0) d.update(buffer.data(), n);
    if (n < buffer.size()) {
      if (std::ferror(f.get())) throw std::runtime_error(path + ": read error");
      break;
    }
  }
  return d.hex();
}

}  // namespace

std::string sha256_file_hex(const std::string& path) {
  static FileMemo<std::string> memo;  // a file is read once per process while it is unchanged
  return memo.get(path, hash_file);
}

}  // namespace recsim
