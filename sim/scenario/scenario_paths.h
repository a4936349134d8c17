#pragma once
// The file paths inside a scenario document, found by the keys the components declare as files
// (KeyDecl::Type::file; "format": "path" in the scenario's JSON Schema), and a document moved to
// another directory with them: a command that writes a derived scenario (`recsim tune
// --tuned-scenario`) keeps every file the original read, whatever directory it is written to.
#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace recsim {

// Every key name declared as a file path somewhere in the scenario format ("cpu_profile",
// "profile", "file", ...). No key name is a file in one object and something else in another
// (tests/unit/test_key_declarations.cpp checks it), so the name alone says whether a value is a path.
const std::set<std::string>& file_key_names();

// Rewrites each relative file path in `document` (read relative to `from_dir`) relative to `to_dir`
// (where the document will be written), lexically as the parser joins them (symbolic links are not
// resolved); absolute paths are kept. A path that cannot be expressed relative to `to_dir` is
// written absolute.
void move_file_paths(nlohmann::json& document, const std::string& from_dir, const std::string& to_dir);

}  // namespace recsim
