#!/usr/bin/env bash
# The main job from a clean clone: installs what it needs, builds, then trains a small code
# model from scratch on the bundled C++ task suite (SFT, then PPO with CCCS and FGO on compiler
# and unit-test feedback; configs/quickstart.yaml), writes its HTML report and prints the
# held-out pass@1 before and after PPO. About 24 minutes on two cores after the build.
# Run it again after an interruption: the PPO stage resumes from its last checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
SC="$BUILD_DIR/stepcoder"
CONFIG=${CONFIG:-configs/quickstart.yaml}
RUN=$("$SC" config --dump "$CONFIG" | sed -n '/^train:/,/^[^ ]/s/^  run_dir: *//p' | tr -d '"')
RUN=${RUN:-runs/quickstart}

echo
if [ -f "$RUN/checkpoints/last.pt" ]; then
  echo "== resuming the training run in $RUN =="
  "$SC" train "$CONFIG" --resume
else
  echo "== training: SFT, then PPO with CCCS and FGO ($CONFIG -> $RUN) =="
  "$SC" train "$CONFIG"
fi

echo
echo "== report =="
"$SC" report "$RUN"

echo
echo "== held-out greedy pass@1 during PPO ($RUN/metrics.jsonl) =="
python3 - "$RUN/metrics.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("kind") == "eval" and "pass1" in e:
        print(f"step {e['step']}: pass@1 {100 * e['pass1']:.1f}% on {e['problems']} {e['split']} problems")
PY
echo "open $RUN/report.html in a browser"
