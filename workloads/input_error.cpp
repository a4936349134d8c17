#include "workloads/input_error.h"

#include <cstdint>
#include <cstdio>

namespace recsim {
namespace {

constexpr std::size_t kMaxWhere = 300;     // bytes of the location kept in a message
constexpr std::size_t kMaxExpected = 700;  // bytes of the explanation kept

// The length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one.
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

std::string printable(const std::string& text, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  const auto append = [&](std::size_t until) {
    while (i < until && i < text.size()) {
      const auto c = static_cast<unsigned char>(text[i]);
      const std::size_t len = utf8_length(text, i);
      if (len > 1) {
        // C1 controls (U+0080-U+009F) and bidirectional overrides (U+202A-U+202E, U+2066-U+2069)
        // are escaped too: a terminal would act on them.
        const auto b1 = static_cast<unsigned char>(text[i + 1]);
        const bool c1 = len == 2 && c == 0xC2 && b1 >= 0x80 && b1 <= 0x9F;
        const auto b2 = len == 3 ? static_cast<unsigned char>(text[i + 2]) : 0;
        const bool bidi = len == 3 && c == 0xE2 &&
                          ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9));
        if (c1 || bidi) {
          char hex[16];
          std::snprintf(hex, sizeof hex, "\\u%04X", c1 ? static_cast<unsigned>(b1) : (b1 == 0x80 ? 0x2000u : 0x2040u) + (b2 & 0x3Fu));
          out += hex;
        } else {
          out.append(text, i, len);
        }
        i += len;
        continue;
      }
      if (len == 1 && c >= 0x20 && c != 0x7F) {
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\r') {
        out += "\\r";
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02X", c);
        out += hex;
      }
      ++i;
    }
  };
  if (text.size() <= max_bytes) {
    append(text.size());
    return out;
  }
  const std::size_t head = max_bytes * 2 / 3, tail = max_bytes - head;
  append(head);
  std::size_t resume = text.size() - tail;
  while (resume < text.size() && (static_cast<unsigned char>(text[resume]) & 0xC0) == 0x80) ++resume;  // a character's start
  if (resume < i) resume = i;
  out += " ... [" + std::to_string(resume - i) + " bytes elided] ... ";
  i = resume;
  append(text.size());
  return out;
}

InputError::InputError(std::string where, std::string what_expected)
    : std::runtime_error(printable(where, kMaxWhere) + ": " + printable(what_expected, kMaxExpected)),
      where_(printable(where, kMaxWhere)),
      expected_(printable(what_expected, kMaxExpected)) {}

}  // namespace recsim
