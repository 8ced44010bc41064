#!/usr/bin/env bash
# run.sh — run scenarios on the real Debian 6.12 kernel (qemu TCG) and write their transcripts.
#
#   golden/oracle/run.sh [-o OUTDIR] SCENARIO...
#
# SCENARIO is a file (golden/scenarios/veth.sh) or a name (veth -> golden/scenarios/veth.sh).
# OUTDIR defaults to golden/kernel/6.12; each scenario gives OUTDIR/<name>.txt.
#
# Every scenario gets a FRESH BOOT (one qemu process per scenario): ifindex counters, netns ids,
# module state and the kernel log then never depend on which scenario ran before, so a transcript
# is reproducible on its own. A boot costs ~5 s under TCG; NLSIM_ORACLE_PAR=N runs N guests at
# once (each 1 vCPU; default 1, the machine is shared).
#
# Guest: /init (guest-init.sh) loads the modules, sets the sysctl, creates the netdevsim NICs
# (eth0..eth2), runs the scenario in one dash with guest-runner.sh and writes the transcript to
# the second serial port (ttyS1 = a file on the host) between TRANSFER markers.
#
# Scenario options: lines '#@env NAME=VALUE' (see guest-init.sh: ORACLE_PRELOAD, ORACLE_MODPARAMS,
# ORACLE_FB_TUNNELS, ORACLE_NETDEVSIM, ORACLE_EXTRA_MODULES, ORACLE_CNI).
# Environment: NLSIM_ORACLE_CACHE (cache dir), NLSIM_ORACLE_TIMEOUT (s per boot, default 300),
#              NLSIM_ORACLE_PAR (parallel guests), NLSIM_ORACLE_KEEP=1 (keep the guest console logs).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${NLSIM_ORACLE_CACHE:-$HOME/.cache/nlsim-oracle}
OUT=$REPO/golden/kernel/6.12
TIMEOUT=${NLSIM_ORACLE_TIMEOUT:-300}
PAR=${NLSIM_ORACLE_PAR:-1}

while getopts "o:h" opt; do
    case $opt in
        o) OUT=$OPTARG ;;
        *) sed -n '2,20p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { sed -n '2,20p' "$0"; exit 2; }

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "run.sh: installing qemu-system-x86" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends qemu-system-x86 >/dev/null
fi
[ -f "$CACHE/versions.env" ] || "$HERE/fetch.sh"
# shellcheck disable=SC1091
. "$CACHE/versions.env"
WORK=$CACHE/$KRELEASE
"$HERE/build.sh"
mkdir -p "$OUT"

log() { echo "run.sh: $*" >&2; }
# shellcheck source=golden/oracle/lib.sh
. "$HERE/lib.sh"   # cpio_create

run_one() {
    local src=$1 name job t0 t1 rc=0
    name=$(basename "$src" .sh)
    job=$(mktemp -d "${TMPDIR:-/tmp}/nlsim-oracle.$name.XXXXXX")
    mkdir -p "$job/extra/oracle"
    cp "$src" "$job/extra/oracle/scenario.sh"
    {
        echo "SCENARIO=$name"
        sed -n 's/^#@env[[:space:]]\{1,\}\([A-Z_][A-Z0-9_]*=.*\)$/\1/p' "$src"
    } > "$job/extra/oracle/job.env"
    cpio_create "$job/extra" > "$job/extra.cpio"
    # The kernel unpacks concatenated newc archives one after the other. The CNI overlay
    # (build-cni.sh) only for scenarios that ask for it with '#@env ORACLE_CNI=1|netfilter'.
    overlay=()
    if grep -Eq '^#@env[[:space:]]+ORACLE_CNI="?(1|netfilter)' "$src"; then overlay=("$WORK/cni.cpio"); fi
    cat "$WORK/base.cpio" ${overlay[@]+"${overlay[@]}"} "$job/extra.cpio" > "$job/initrd"
    t0=$(date +%s.%N)
    timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 512M \
        -display none -monitor none -no-reboot -nic none \
        -kernel "$WORK/vmlinuz" -initrd "$job/initrd" \
        -append 'console=ttyS0 quiet loglevel=3 printk.time=0 panic=-1 rdinit=/init' \
        -serial "file:$job/console.log" \
        -chardev "file,id=result,path=$job/result.raw" -device isa-serial,chardev=result \
        </dev/null >"$job/qemu.log" 2>&1 || rc=$?
    t1=$(date +%s.%N)
    tr -d '\r' < "$job/result.raw" > "$job/result.txt" || true
    if grep -q "^=====TRANSFER-END $name " "$job/result.txt"; then
        sed -n "/^=====TRANSFER-BEGIN $name=====\$/,/^=====TRANSFER-END $name /p" "$job/result.txt" |
            sed '1d;$d' > "$OUT/$name.txt"
        printf 'run.sh: %-24s %4d commands  %5.1f s  -> %s\n' "$name" \
            "$(grep -c '^CMD\[' "$OUT/$name.txt")" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "${OUT#"$REPO"/}/$name.txt"
        [ "${NLSIM_ORACLE_KEEP:-0}" = 1 ] && echo "run.sh: logs kept in $job" || rm -rf "$job"
        return 0
    fi
    echo "run.sh: $name FAILED (qemu rc $rc); guest console ($job/console.log):" >&2
    tail -n 30 "$job/console.log" "$job/qemu.log" >&2 || true
    return 1
}

fail=0
pids=()
for s in "$@"; do
    case $s in
        */* | *.sh) src=$s ;;
        *) src=$REPO/golden/scenarios/$s.sh ;;
    esac
    [ -f "$src" ] || { echo "run.sh: no scenario $s ($src)" >&2; fail=1; continue; }
    if [ "$PAR" -le 1 ]; then
        run_one "$src" || fail=1
    else
        run_one "$src" &
        pids+=($!)
        if [ ${#pids[@]} -ge "$PAR" ]; then
            wait -n || fail=1
            # drop finished pids
            alive=()
            for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
            pids=("${alive[@]+"${alive[@]}"}")
        fi
    fi
done
for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" || fail=1; done
exit $fail
