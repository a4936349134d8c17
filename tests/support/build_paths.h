#pragma once
// Where the tests find the source tree (shipped scenarios, models, profiles) and the recsim
// executable under test. Only build_paths.cpp is compiled with those paths, so no other test object
// depends on where the source was checked out.
#include <string>

namespace recsim::test {

const std::string& source_dir();
const std::string& recsim_binary();

}  // namespace recsim::test
