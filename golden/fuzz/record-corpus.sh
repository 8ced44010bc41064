#!/usr/bin/env bash
# record-corpus.sh [NLSIM [SCENARIO.sh...]]: regenerates golden/fuzz/corpus/*.hex, the fuzzer's seeds, from the
# requests the scenario corpus (golden/scenarios/*.sh) sends: each scenario runs under
# `nlsim run --netdevsim 1:3 --capture` with the oracle's runner, behind an UP nlmon device
# (what it taps is what the capture holds), and the datagrams sent to the kernel are kept,
# duplicates removed. Requests made in other namespaces than the initial one are not tapped.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NLSIM=${1:-$ROOT/target/release/nlsim}
shift || true
SCENARIOS=("$@")
OUT=$ROOT/golden/fuzz/corpus
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
chmod 777 "$TMP"
mkdir -p "$OUT" "$TMP/bin"
cc -O2 -o "$TMP/bin/nlraw" "$ROOT/golden/oracle/nlraw.c"
cd "$ROOT"
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(golden/scenarios/*.sh)
for s in "${SCENARIOS[@]}"; do
    name=$(basename "$s" .sh)
    TMPDIR=$TMP ORACLE_PRELOAD=1 ORACLE_MODPARAMS=1 ORACLE_NETDEVSIM="1 3" PATH="$TMP/bin:$PATH" \
        "$NLSIM" run --seed 1 --netdevsim 1:3 --capture "$TMP/$name.pcap" -- \
        dash -c 'ip link add nlmon0 type nlmon && ip link set nlmon0 up && . golden/oracle/guest-runner.sh' \
        sh "$s" "$name" > /dev/null 2>&1 || true
    {
        echo "# requests of golden/scenarios/$name.sh (golden/fuzz/record-corpus.sh)"
        python3 "$ROOT/golden/fuzz/pcap2hex.py" "$TMP/$name.pcap"
    } > "$OUT/$name.hex"
    echo "$name: $(grep -vc '^#' "$OUT/$name.hex") datagrams"
done
