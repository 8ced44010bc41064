#!/usr/bin/env bash
# run.sh [SECONDS] [SEED]: fuzz the rtnetlink request path for SECONDS (default 60) with the
# in-tree mutational fuzzer (sim/examples/fuzz_rtnl, stable Rust, deterministic from SEED,
# default 1), seeded from golden/fuzz/corpus. Exits non-zero on any panic or invariant
# violation; the inputs that led to it are saved under ${NLSIM_FUZZ_CRASHES:-target/fuzz-crashes}
# (replay: cargo run --release -p nlsim --example fuzz_rtnl -- --replay FILE).
#
#   golden/fuzz/run.sh 3600 7      # longer, another seed (release build)
#   NLSIM_FUZZ_PROFILE=debug golden/fuzz/run.sh 60   # what CI runs: the debug build
#                                   # `cargo test` already made (slower, no extra build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_=${1:-60}
SEED=${2:-1}
cd "$ROOT"
PROFILE=${NLSIM_FUZZ_PROFILE:-release}
case "$PROFILE" in
    release) cargo build --release -q -p nlsim --example fuzz_rtnl ;;
    debug) cargo build -q -p nlsim --example fuzz_rtnl ;;
    *) echo "NLSIM_FUZZ_PROFILE is release or debug" >&2; exit 2 ;;
esac
exec "$ROOT/target/$PROFILE/examples/fuzz_rtnl" --seconds "$SECONDS_" --seed "$SEED" \
    --corpus "$ROOT/golden/fuzz/corpus" --crashes "${NLSIM_FUZZ_CRASHES:-$ROOT/target/fuzz-crashes}"
