#pragma once
// Writes a file atomically: readers see the old file or the whole new one, never a part, and a kill
// at any moment leaves no temporary file behind that a later write does not remove.
//
// The content goes to an unnamed file in the target's directory (O_TMPFILE: the kernel frees it if
// the process dies), is flushed to disk, given the name FILE.tmp.PID, renamed over FILE, and the
// directory is flushed too. Where the file system has no O_TMPFILE the temporary file is named from
// the start. Before writing, temporary files FILE.tmp.PID of processes that have ended (a kill
// between naming and renaming; zombies count as ended) are removed.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

// Bytes the temporary file's name adds to FILE's (".tmp." and a process id).
inline constexpr std::size_t kAtomicFileSuffixBytes = 5 + 10;

// Throws std::runtime_error naming the path on failure (and leaves no temporary file behind).
void write_file_atomically(const std::string& path, const std::string& content);

// A command's outputs, all or nothing: every file's content is written and flushed to its
// temporary file first, and only when all of them are (a full disk fails there) are they renamed
// over their targets. A failure before the renames replaces no file. (Renames within a directory
// need no space; one failing past the first leaves the earlier ones replaced.)
void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files);

// The two halves of an atomic write, for the above.
struct StagedFile {
  std::string path, temporary, directory;
};
StagedFile stage_file(const std::string& path, const std::string& content);
void commit(const StagedFile& staged);
void discard(const StagedFile& staged);

}  // namespace recsim
