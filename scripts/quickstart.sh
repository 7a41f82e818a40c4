#!/usr/bin/env bash
# The main job from a clean clone: installs what it needs, builds, then judges the bundled
# example programs (good and bad) in the sandbox and prints their verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
SC="$BUILD_DIR/stepcoder"
echo
echo "== judging example solutions (examples/judge/) =="
"$SC" judge examples/judge/problems.jsonl --solutions examples/judge/solutions.jsonl || true
echo
echo "== running hostile example programs in the sandbox =="
for name in fork_bomb read_passwd heap_bomb endless_stdout mmap_shellcode include_passwd; do
  p=tests/sandbox/hostile/$name.cpp
  printf '%-44s ' "$p"
  "$SC" run "$p" 2>&1 >/dev/null | tail -n 1 || true
done
