#!/usr/bin/env bash
# The whole test suite from a clean clone: installs what it needs, builds, runs ctest.
# Extra arguments go to ctest, e.g. `bash scripts/test.sh -LE slow` for the fast tests only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2 "$@"
