#!/usr/bin/env bash
# A missing dependency stops CMake's configuration with one line naming its Debian package, and no
# CMake stack trace. Each package is hidden from a fresh configuration in turn with
# CMAKE_DISABLE_FIND_PACKAGE_<name>, as if it were not installed.
# Usage: tests/configure_errors.sh SOURCE_DIR SCRATCH_DIR
set -uo pipefail
src="$1"; scratch="$2"
fail=0
check() {  # check <find_package name> <expected Debian package>
  local dir="$scratch/configure-without-$1"
  rm -rf "$dir"
  local out rc
  out=$(cmake -S "$src" -B "$dir" -DCMAKE_DISABLE_FIND_PACKAGE_"$1"=ON -DBUILD_TESTING=ON 2>&1); rc=$?
  rm -rf "$dir"
  local line="recsim: not found: .*(Debian package $2); scripts/setup installs every dependency"
  if [ $rc -eq 0 ]; then echo "FAIL: configuration without $1 succeeded"; fail=1
  elif ! grep -q -- "$line" <<<"$out"; then echo "FAIL: without $1, no line naming $2:"; echo "$out" | tail -8; fail=1
  elif [ "$(grep -c "recsim: " <<<"$out")" -ne 1 ]; then echo "FAIL: without $1, more than one recsim line"; fail=1
  elif grep -q "FindPackageHandleStandardArgs\|Call Stack" <<<"$out"; then echo "FAIL: without $1, a CMake stack trace"; fail=1
  else echo "ok: without $1: $(grep "recsim: " <<<"$out" | sed 's/^ *//')"; fi
}
check OpenCL ocl-icd-opencl-dev
check dnnl libdnnl-dev
check absl libabsl-dev
check Catch2 catch2
exit $fail
