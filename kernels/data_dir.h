#pragma once
// Where recsim's shipped data lives (the model definitions kernels/models/, published GPU figures
// kernels/gpus/, profiles kernels/profiles/, scenarios/): the folder holding `kernels/` and
// `scenarios/`. In order: $RECSIM_DATA_DIR; an installed tree beside the executable
// (PREFIX/bin/recsim reads PREFIX/share/recsim, `cmake --install`); the source tree the build came
// from. Only data_dir.cpp knows the source tree's path, so no other object depends on where the
// source was checked out (a compiler cache serves every clone).
#include <string>

namespace recsim {

std::string recsim_data_dir();

}  // namespace recsim
