# Writes the build's version stamp (recsim's version, the git commit it was built from and whether
# the work tree had uncommitted changes) to OUTPUT, a C++ file compiled into recsim, at every build.
# The file is rewritten only when its content changes, so an unchanged tree relinks nothing.
# Usage (from CMakeLists.txt): cmake -DSOURCE_DIR=... -DOUTPUT=... -DVERSION=... -P scripts/version.cmake
set(commit "unknown")
set(dirty "false")
find_program(GIT git)
if(GIT AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" rev-parse HEAD OUTPUT_VARIABLE head
                  RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0)
    set(commit "${head}")
    execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes RESULT_VARIABLE rc2 ERROR_QUIET)
    if(rc2 EQUAL 0 AND NOT changes STREQUAL "")
      set(dirty "true")
    endif()
  endif()
endif()
set(content "// Generated at build time by scripts/version.cmake: do not edit.
#include \"sim/provenance/build_version.h\"
namespace recsim {
const char* const kRecsimVersion = \"${VERSION}\";
const char* const kRecsimCommit = \"${commit}\";
const bool kRecsimDirty = ${dirty};
}  // namespace recsim
")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL content)
  file(WRITE "${OUTPUT}" "${content}")
endif()
