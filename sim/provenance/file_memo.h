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
  // A copy of the value kept for the file, or make(path) when the file is new or changed since
  // (computed outside the lock: threads looking up other files do not wait for it). A file that
  // cannot be stat'ed is not kept (make reports it).
  T get(const std::string& path, const std::function<T(const std::string&)>& make) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return make(path);
    const Identity id{st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto it = values_.find(path);
      if (it != values_.end() && it->second.first == id) return it->second.second;
    }
    T value = make(path);
    std::lock_guard<std::mutex> lock(mutex_);
    values_.insert_or_assign(path, std::make_pair(id, value));
    return value;
  }

 private:
  using Identity = std::tuple<dev_t, ino_t, off_t, long, long>;
  std::mutex mutex_;
  std::map<std::string, std::pair<Identity, T>> values_;
};

}  // namespace recsim
