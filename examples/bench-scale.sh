#!/usr/bin/env bash
# Issue 13's scale figures, nlsim beside the kernel (in a fresh `unshare -n` / `unshare -rn`
# namespace), measured in one run on one machine, interleaved (kernel, nlsim, kernel, ...) and
# reported as medians:
#
#   1. ROUTES IPv4 routes loaded with `ip -batch` (a full internet table is 1 000 000)
#   2. a dump of them (`ip route show` into /dev/null), timed alone inside the same shell
#      after the load (`date +%s%N` before and after), so the load's noise is not in it
#   3. `ip route get` latency: ROUTE_GETS lookups in one `ip -batch` over a table of up to
#      100 000 routes, timed alone the same way, per lookup
#   4. resident memory per route (nlsim: peak RSS, VmHWM, of the `nlsim run` process with the
#      table loaded minus with an empty table, divided by ROUTES; `ip`'s own memory excluded)
#   5. ADDRS addresses on ADDR_DEVS devices: add, dump, delete
#
# The devices are bridges without ports (every kernel has the bridge driver built in or as a
# module; some test kernels lack dummy).
#
#   bash examples/bench-scale.sh                     # builds target/release/nlsim first
#   ROUTES=100000 RUNS=3 bash examples/bench-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${NLSIM:-}" ]; then
    cargo build --release -q -p nlsim
    NLSIM="${CARGO_TARGET_DIR:-target}/release/nlsim"
fi
ROUTES="${ROUTES:-1000000}"
ROUTE_GETS="${ROUTE_GETS:-10000}"
ADDRS="${ADDRS:-10000}"
ADDR_DEVS="${ADDR_DEVS:-1000}"
RUNS="${RUNS:-3}"

if [ "$(id -u)" -eq 0 ]; then UNSHARE=(unshare -n); else UNSHARE=(unshare -rn); fi
"${UNSHARE[@]}" true 2>/dev/null || { echo "bench-scale: ${UNSHARE[*]} does not work here" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The table: /24s (and /16s and /8s as an internet table has), all via one gateway on dum0.
python3 - "$work" "$ROUTES" "$ROUTE_GETS" "$ADDRS" "$ADDR_DEVS" <<'PY'
import sys
work, routes, gets, addrs, devs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
setup = "link add dum0 type bridge\nlink set dum0 up\naddress add 192.0.2.1/24 dev dum0\n"
with open(f"{work}/setup", "w") as f:
    f.write(setup)
with open(f"{work}/routes", "w") as f:
    f.write(setup)
    n = 0
    a = 1
    while n < routes:
        # 1.0.0.0/24 ... skipping 192.0.2.0/24 and the multicast/reserved space.
        b, c = divmod(n, 256)
        a2, b2 = divmod(b, 256)
        first = 1 + a2
        if first >= 192:
            first += 1  # skip 192.x (192.0.2.0/24 is the gateway's)
        if first >= 224:
            sys.exit("bench-scale: ROUTES too large")
        f.write(f"route add {first}.{b2}.{c}.0/24 via 192.0.2.254\n")
        n += 1
with open(f"{work}/gets-table", "w") as f:
    f.write(setup)
    for i in range(min(routes, 100000)):
        b, c = divmod(i, 256)
        a2, b2 = divmod(b, 256)
        first = 1 + a2
        if first >= 192:
            first += 1
        f.write(f"route add {first}.{b2}.{c}.0/24 via 192.0.2.254\n")
with open(f"{work}/gets", "w") as f:
    for i in range(gets):
        j = (i * 7919) % min(routes, 100000)
        b, c = divmod(j, 256)
        a2, b2 = divmod(b, 256)
        first = 1 + a2
        if first >= 192:
            first += 1
        f.write(f"route get {first}.{b2}.{c}.7\n")
per = max(1, addrs // devs)
with open(f"{work}/addrs", "w") as f:
    for d in range(devs):
        f.write(f"link add d{d} type bridge\n")
    for d in range(devs):
        for k in range(per):
            f.write(f"address add 10.{d // 256}.{d % 256}.{k + 1}/32 dev d{d}\n")
with open(f"{work}/addrs-del", "w") as f:
    for d in range(devs):
        for k in range(per):
            f.write(f"address del 10.{d // 256}.{d % 256}.{k + 1}/32 dev d{d}\n")
PY

exec python3 - "$NLSIM" "$RUNS" "$work" "$ROUTES" "$ROUTE_GETS" "$ADDRS" "${UNSHARE[@]}" <<'PY'
import os, resource, statistics, subprocess, sys, time

nlsim, runs, work, routes, gets, addrs = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
unshare = sys.argv[7:]

def timed(argv):
    t = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"bench-scale: {' '.join(argv)} exited {r.returncode}: {r.stderr.decode()[-500:]}")
    return dt

def sh(script):
    return ["sh", "-c", script]

def kernel(script):
    return unshare + sh(script)

def sim(script):
    return [nlsim, "run", "--", "sh", "-c", script]

def med(v):
    return statistics.median(v)

def pair(title, script, per=None, unit_name=None):
    k, s = [], []
    for _ in range(runs):
        k.append(timed(kernel(script)))
        s.append(timed(sim(script)))
    mk, ms = med(k), med(s)
    print(f"{title}  ({runs} interleaved runs each, median)")
    print(f"  kernel ({' '.join(unshare)}) {mk:9.3f} s    nlsim run {ms:9.3f} s    nlsim/kernel {ms / mk:.2f}x")
    if per:
        print(f"  per {unit_name}: kernel {mk / per * 1e6:.2f} us, nlsim {ms / per * 1e6:.2f} us")
    return mk, ms

w = work

def inner(title, script, timed_part, per, unit_name):
    """Runs `script` then `timed_part` in one shell on both sides, interleaved; the shell times
    `timed_part` alone (date +%s%N), so the setup's noise is not in the figure."""
    out = f"{w}/inner.ns"
    full = f"{script} && s=$(date +%s%N) && {timed_part} && e=$(date +%s%N) && echo $((e - s)) > {out}"
    k, s = [], []
    for _ in range(runs):
        timed(kernel(full))
        k.append(int(open(out).read()) / 1e9)
        timed(sim(full))
        s.append(int(open(out).read()) / 1e9)
    print(f"{title}  ({runs} interleaved runs each, median [min, max])")
    for name, v in ((f"kernel ({' '.join(unshare)})", k), ("nlsim run", s)):
        print(f"  {name:20} {med(v):9.4f} s [{min(v):.4f}, {max(v):.4f}]    "
              f"{per / med(v):12,.0f} {unit_name}/s [{per / max(v):,.0f}, {per / min(v):,.0f}]    "
              f"{med(v) / per * 1e6:8.2f} us/{unit_name}")
    print(f"  nlsim/kernel {med(s) / med(k):.2f}x")
    return med(k), med(s)

setup_t = pair("0. setup only (dummy, address)", f"ip -batch {w}/setup")
load = pair(f"1. {routes} IPv4 routes with ip -batch (setup included)", f"ip -batch {w}/routes", routes, "route")
inner(f"2. dump of the {routes} routes (ip route show > /dev/null), timed alone after the load",
      f"ip -batch {w}/routes", "ip route show table main > /dev/null", routes, "route")
get_n = min(routes, 100000)
inner(f"3. {gets} x ip route get (one ip -batch) over a {get_n}-route table, timed alone",
      f"ip -batch {w}/gets-table", f"ip -batch {w}/gets > /dev/null", gets, "lookup")

def nlsim_hwm_kib(batch):
    # The peak RSS (VmHWM) of the `nlsim run` process itself, read by its child once the batch
    # is done: RUSAGE_CHILDREN's ru_maxrss would be the largest descendant, `ip -batch`, whose
    # own heap grows by about 4 KiB per command (on the kernel too).
    r = subprocess.run(sim(f"ip -batch {batch} && grep VmHWM /proc/$PPID/status"),
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bench-scale: rss run failed: {r.stderr[-500:]}")
    return int(r.stdout.split()[-2])

base = med([nlsim_hwm_kib(f"{w}/setup") for _ in range(runs)])
full = med([nlsim_hwm_kib(f"{w}/routes") for _ in range(runs)])
print(f"4. nlsim resident memory: empty table {base / 1024:.1f} MiB, {routes} routes {full / 1024:.1f} MiB, "
      f"{(full - base) * 1024 / routes:.0f} bytes per route (peak RSS of the nlsim run process)")

a_add = pair(f"5a. {addrs} addresses on dummies: link add + address add", f"ip -batch {w}/addrs", addrs, "address")
inner(f"5b. dump of the {addrs} addresses (ip -4 addr show > /dev/null), timed alone",
      f"ip -batch {w}/addrs", "ip -4 addr show > /dev/null", addrs, "address")
inner(f"5c. every address deleted (ip -batch), timed alone",
      f"ip -batch {w}/addrs", f"ip -batch {w}/addrs-del", addrs, "address")
PY
