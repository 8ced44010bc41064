#!/bin/sh
# Measures the receive-buffer rules on the oracle kernel (golden/oracle): builds nlbufs.c as a
# static binary, ships it inside a generated scenario (base64 of its gzip, decoded by the guest's
# busybox); the transcript goes to golden/rcvbuf/kernel-6.12/nlbufs-raw.txt. (The ip monitor
# scenario runs on its own: golden/oracle/run.sh -o golden/rcvbuf/kernel-6.12 golden/rcvbuf/ip-monitor-enobufs.sh)
#   sh golden/rcvbuf/run-oracle.sh          (needs gcc with a static libc: apt-get install gcc libc6-dev)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -static -Os -s -o "$work/nlbufs" "$here/nlbufs.c"
b64=$(gzip -9 -c "$work/nlbufs" | base64 -w0)
{
    echo "# The receive-buffer rules measured with a raw client, golden/rcvbuf/nlbufs.c, shipped as"
    echo "# NLBUFS (base64 of its gzip) in /oracle/job.env, out of the transcript: see"
    echo "# golden/rcvbuf/run-oracle.sh."
    echo "#@env ORACLE_NETDEVSIM="
    echo "#@env NLBUFS=$b64"
    echo "sed -n 's/^NLBUFS=//p' /oracle/job.env | base64 -d | gunzip >/tmp/nlbufs && chmod +x /tmp/nlbufs"
    echo "/tmp/nlbufs flood 200 4096"
    echo "/tmp/nlbufs soerror"
    echo "/tmp/nlbufs empty"
    echo "/tmp/nlbufs batch"
    echo "/tmp/nlbufs dumpfull"
    echo "/tmp/nlbufs create 50"
    echo "ip -o link show | grep -c ': c[0-9]*:'"
} >"$work/nlbufs-raw.sh"
"$repo/golden/oracle/run.sh" -o "$here/kernel-6.12" "$work/nlbufs-raw.sh"
# The final state (lo and 50 dummies as JSON) is cut from the committed copy; the kernel log stays.
t="$here/kernel-6.12/nlbufs-raw.txt"
n=$(grep -n "SCENARIO-END" "$t" | cut -d: -f1)
{
    sed -n "1,${n}p" "$t"
    echo "# nlsim: the final state of init_net (lo and the 50 dummies c1..c50 as JSON) is cut from this copy"
    echo "# of the oracle's transcript (golden/rcvbuf/run-oracle.sh, $(date -u +%F)); the kernel log is kept:"
    sed -n '/=== DMESG/,$p' "$t"
} >"$work/trimmed" && mv "$work/trimmed" "$t"
