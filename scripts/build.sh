#!/usr/bin/env bash
# Installs the Debian packages (idempotent), configures and builds stepcoder into build/.
# ccache keeps rebuilds cheap; BUILD_DIR and BUILD_TYPE override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
JOBS=${JOBS:-$(nproc)}
# Paths relative to the checkout and no working directory in the hash, so clones in other
# directories share ccache's entries (debug info then names the first clone's build directory).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
echo "build: compiling with $JOBS jobs into $BUILD_DIR/ (first build takes several minutes)"
cmake --build "$BUILD_DIR" -j "$JOBS"
