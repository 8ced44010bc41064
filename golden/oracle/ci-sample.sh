#!/usr/bin/env bash
# ci-sample.sh — prove that the committed kernel transcripts come from a kernel: boot the real Debian
# 6.12 kernel (qemu TCG) for a small sample of scenarios, regenerate their transcripts and require
# them to equal the committed golden/kernel/6.12/<name>.txt after normalising what is random on the
# kernel side (normalize.py: random MACs and what derives from them, netdevsim switch ids, bridge
# wall-time timers). Installs what it needs (Debian packages), downloads and builds into the cache
# (${NLSIM_ORACLE_CACHE:-$HOME/.cache/nlsim-oracle}); prints the time of every phase.
#
#   golden/oracle/ci-sample.sh                 # the default sample
#   golden/oracle/ci-sample.sh veth names ...  # other scenarios
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SAMPLE=("$@")
[ ${#SAMPLE[@]} -gt 0 ] || SAMPLE=(seed-ipvlan names)

now() { date +%s.%N; }
T0=$(now)
phase_t=$T0
phase() { # phase NAME: print the time since the previous phase
    local t
    t=$(now)
    awk -v a="$phase_t" -v b="$t" -v n="$1" 'BEGIN { printf "ci-sample: %-34s %6.1f s\n", n, b - a }'
    phase_t=$t
}

# 1. Debian packages: qemu, the toolchain for the out-of-tree netdevsim build (linux-kbuild needs
#    libelf1/libssl3; linux-headers wants gcc-12), the iproute2 that goes into the guest, python3,
#    Go + vishvananda/netlink's source (build.sh puts its test binary netlink.test in the guest).
packages=(qemu-system-x86 gcc-12 make binutils xz-utils libelf1 libssl3 iproute2 dash python3
          golang-go golang-github-vishvananda-netlink-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
if [ ${#missing[@]} -gt 0 ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
phase "apt (update + ${#missing[@]} packages)"

# 2. kernel packages (cached), pinned to the kernel the committed goldens were made with (their
#    header: "# kernel: 6.12.117+deb12-amd64 (...)"), 3. netdevsim + initramfs (cached)
krel=$(sed -n 's/^# kernel: \([^ ]*\) .*/\1/p' "$REPO/golden/kernel/6.12/${SAMPLE[0]}.txt" | head -n1)
kver=${krel%%+*}
[ -n "$kver" ] || { echo "ci-sample: no '# kernel:' header in golden/kernel/6.12/${SAMPLE[0]}.txt" >&2; exit 1; }
NLSIM_ORACLE_NO_UPDATE=1 NLSIM_ORACLE_KVER=$kver "$HERE/fetch.sh" >/dev/null
phase "fetch kernel packages ($kver)"
"$HERE/build.sh" 2>/dev/null
phase "build netdevsim.ko + initramfs"

# 4. boot the kernel for every scenario of the sample
OUT=$(mktemp -d "${TMPDIR:-/tmp}/nlsim-ci-sample.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
"$HERE/run.sh" -o "$OUT" "${SAMPLE[@]}"
phase "boot + run ${#SAMPLE[@]} scenarios"

# 5. compare
fail=0
for s in "${SAMPLE[@]}"; do
    src=$REPO/golden/scenarios/$s.sh
    gold=$REPO/golden/kernel/6.12/$s.txt
    if [ ! -f "$gold" ]; then
        echo "ci-sample: $s: no committed transcript $gold" >&2; fail=1; continue
    fi
    if diff -u <(python3 "$HERE/normalize.py" "$src" "$gold") <(python3 "$HERE/normalize.py" "$src" "$OUT/$s.txt") \
        > "$OUT/$s.diff"; then
        echo "ci-sample: $s: regenerated transcript equals the committed one"
    else
        echo "ci-sample: $s: DIFFERS from the committed transcript (normalised diff, committed vs regenerated):" >&2
        head -n 60 "$OUT/$s.diff" >&2
        fail=1
    fi
done
phase "compare"
awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "ci-sample: total %.1f s\n", b - a }'
exit $fail
