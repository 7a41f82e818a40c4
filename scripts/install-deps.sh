#!/usr/bin/env bash
# Installs every Debian package stepcoder needs to build, test and benchmark.
# Idempotent: packages already present are skipped, so re-running costs seconds.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache clang-14 pkg-config
  # LibTorch, with OpenBLAS (the reference BLAS is ~17x slower for training)
  libtorch-dev libopenblas0-openmp python3-torch
  # Clang libTooling
  libclang-14-dev libclang-cpp14-dev llvm-14-dev
  # sandbox, config, CLI, JSON, storage, hashing, tokenizer
  libseccomp-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libsqlite3-dev libxxhash-dev libsentencepiece-dev zlib1g-dev
  # Hugging Face tokenizers: regex pre-tokenizers (PCRE2), the NFC normalizer (ICU)
  libpcre2-dev libicu-dev
  # tests (python3-jinja2: the chat-template reference, as transformers runs it)
  libgtest-dev libgmock-dev chromium python3-jinja2
  # what the bundled and external data sets include when they compile
  libboost-dev libssl-dev
  # coverage reference (gcov ships with gcc) and LCOV rendering
  lcov
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
