#pragma once
// A value computed from a file's content (its SHA-256, a parsed profile), kept for the life of the
// process while the file is unchanged: the same device, inode, size and modification time (to the
// nanosecond). A sweep plans hundreds of points over the same scenario and profiles; each file is
// then read and hashed or parsed once, not once per point (docs/sweeps.md). Thread-safe.
#include <sys/stat.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace recsim {

template <class T>
class FileMemo {
 public:
  // make(path) when the file is new or changed since; a file that cannot be stat'ed is not kept
  // (make reports it).
  const T& get(const std::string& path, const std::function<T(const std::string&)>& make) {
    struct stat st {};
    std::lock_guard<std::mutex> lock(mutex_);
    if (::stat(path.c_str(), &st) != 0) {
      uncached_ = make(path);
      return uncached_;
    }
    const Identity id{st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
    auto it = values_.find(path);
    if (it == values_.end() || it->second.first != id) it = values_.insert_or_assign(path, std::make_pair(id, make(path))).first;
    return it->second.second;
  }

 private:
  using Identity = std::tuple<dev_t, ino_t, off_t, long, long>;
  std::mutex mutex_;
  std::map<std::string, std::pair<Identity, T>> values_;
  T uncached_{};
};

}  // namespace recsim
