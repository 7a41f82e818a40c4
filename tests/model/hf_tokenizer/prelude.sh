# Sourced by the parity scripts after STEPCODER and SRC are set: installs the npm references
# (setup.sh; exits 77 when they cannot be had), exports NODE_PATH, makes the scratch directory
# WORK (removed on exit) and lists the problem files in DATA: the bundled suite, and HumanEval-X
# and MBCPP where ../shared/data/external is there.
NM=$(bash "$(dirname "${BASH_SOURCE[0]}")/setup.sh") || exit $?
export NODE_PATH=$NM
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stepcoder-parity-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DATA=("$SRC"/examples/suite/*.jsonl)
EXTERNAL="$SRC/../shared/data/external"
if [ -d "$EXTERNAL" ]; then
  DATA+=("$EXTERNAL/humaneval-x_cpp.jsonl.gz" "$EXTERNAL/mbxp_mbcpp_release_v1.2.jsonl")
else
  echo "note: $EXTERNAL is absent: HumanEval-X and MBCPP are left out (see README, Data)"
fi
