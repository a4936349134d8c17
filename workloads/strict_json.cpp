#include "workloads/strict_json.h"

#include "workloads/input_error.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace recsim {
namespace {

using json = nlohmann::json;

std::string line_and_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix.
std::string reason_of(const std::string& what) {
  std::string m = what;
  if (const auto bracket = m.find("] "); m.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) m = m.substr(bracket + 2);
  if (m.rfind("parse error", 0) == 0) {
    if (const auto colon = m.find(": "); colon != std::string::npos) m = m.substr(colon + 2);
  }
  return m;
}

// Builds the document, refusing duplicate keys, numbers out of range and nesting too deep. Stops
// at the first error (returning false makes nlohmann's parser stop).
class StrictBuilder {
 public:
  explicit StrictBuilder(json& root) : root_(root) {}

  bool null() { return put(nullptr); }
  bool boolean(bool b) { return put(b); }
  bool number_integer(json::number_integer_t v) { return put(v); }
  bool number_unsigned(json::number_unsigned_t v) { return put(v); }
  bool number_float(json::number_float_t v, const std::string& text) {
    if (!std::isfinite(v)) return fail(path(), "number " + text + " is out of range (beyond double precision)");
    return put(v);
  }
  bool string(std::string& s) { return put(std::move(s)); }
  bool binary(json::binary_t&) { return fail(path(), "binary values are not JSON"); }
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool key(std::string& k) {
    Level& level = stack_.back();
    if (level.node->contains(k)) return fail(joined(container_path(), k), "duplicate key (each key may appear once per object)");
    level.key = std::move(k);
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    syntax_error_ = true;
    position_ = position;
    if (e.id == 406) {  // out_of_range: number overflow
      reason_ = "a number is out of range (beyond double precision)";
      where_ = path();
      syntax_error_ = false;  // valid JSON syntax: reported at its path (the top level too)
    } else {
      reason_ = reason_of(e.what());
    }
    return false;
  }

  bool failed() const { return !reason_.empty(); }
  bool syntax_error() const { return syntax_error_; }
  const std::string& reason() const { return reason_; }
  const std::string& where() const { return where_; }
  std::size_t position() const { return position_; }

 private:
  struct Level {
    json* node;
    std::string key;  // objects: the key of the value being read
  };

  // The path of the innermost open container: at each level, the child being read (an object's
  // current key, an array's last element).
  std::string container_path() const {
    std::string p;
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
      const Level& l = stack_[i];
      p += (p.empty() ? "" : ".") + (l.node->is_object() ? l.key : std::to_string(l.node->size() - 1));
    }
    return p;
  }
  static std::string joined(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }
  // The path of the value about to be placed.
  std::string path() const {
    if (stack_.empty()) return "";
    const Level& l = stack_.back();
    return joined(container_path(), l.node->is_object() ? l.key : std::to_string(l.node->size()));
  }

  json* place(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Level& level = stack_.back();
    if (level.node->is_object()) return &((*level.node)[level.key] = std::move(value));
    level.node->push_back(std::move(value));
    return &level.node->back();
  }
  bool put(json value) {
    place(std::move(value));
    return true;
  }
  bool open(json container) {
    if (static_cast<int>(stack_.size()) >= kMaxJsonDepth)
      return fail(path(), "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    json* node = place(std::move(container));
    stack_.push_back({node, {}});
    return true;
  }
  bool fail(std::string where, std::string reason) {
    where_ = std::move(where);
    reason_ = std::move(reason);
    return false;
  }

  json& root_;
  std::vector<Level> stack_;
  std::string reason_, where_;
  bool syntax_error_ = false;
  std::size_t position_ = 0;
};

// Syntax only: accepts everything, remembers whether the parser reported an error.
struct SyntaxCheck : nlohmann::json_sax<json> {
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    // A number out of double range is JSON syntax, refused later by the strict parser.
    if (e.id != 406) ok = false;
    return false;
  }
  bool ok = true;
};

}  // namespace

nlohmann::json parse_json_strict(const std::string& text, const std::string& source) {
  json root;
  StrictBuilder builder(root);
  const bool ok = json::sax_parse(text, &builder, json::input_format_t::json, /*strict=*/true);
  if (ok && !builder.failed()) return root;
  if (builder.syntax_error() && builder.where().empty()) {
    const std::size_t byte = builder.position() == 0 ? 0 : builder.position() - 1;
    throw InputError(source, "malformed JSON at " + line_and_column(text, byte) + ": " + builder.reason());
  }
  const std::string where = builder.where().empty() ? "(top level)" : builder.where();
  throw InputError(source + (source.empty() ? "" : ": ") + where, builder.reason());
}

bool is_json_syntax(const std::string& text) {
  SyntaxCheck check;
  json::sax_parse(text, &check, json::input_format_t::json, /*strict=*/true);
  return check.ok;
}

bool is_valid_utf8(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace recsim
