#pragma once
// A temporary directory for one test, removed with everything in it when the object goes away.
#include <nlohmann/json.hpp>

#include <string>

namespace recsim::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Path of `name` inside the directory.
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to `name`; returns its path.
  std::string write(const std::string& name, const std::string& content) const;
  std::string write_json(const std::string& name, const nlohmann::json& content) const;

 private:
  std::string path_;
};

bool file_exists(const std::string& path);
std::string read_file(const std::string& path);

}  // namespace recsim::test
