#!/usr/bin/env bash
# `nlsim run`'s speed against the real thing, measured in one run, interleaved (A B A B ...)
# so both sides see the same machine load, and reported as medians:
#
#   1. `nlsim run -- ip link show` vs native `ip link show`          (target: <= 1.2x)
#   2. `nlsim run -- true` vs `/bin/true`: the start cost alone
#   3. `ip -batch` of ROUTE_ADDS `route add` (one request each) under `nlsim run`, with trapped
#      receives and with the receive fast path (`--preload`), vs the kernel in a fresh
#      `unshare -n` namespace, per request                            (target: <= kernel)
#   4. `ip -batch` of 2000 `link add vN type veth peer name pN` under `nlsim run`
#      vs the kernel in a fresh `unshare -n` namespace                (target: >= 20x faster)
#
# Each run is started with posix_spawn from one small timer process and timed from spawn to
# exit (what a shell sees), so both sides pay the same spawn cost. Needs root or unprivileged
# user namespaces for the kernel side (`unshare -n`, else `unshare -rn`).
#
#   bash examples/bench-run.sh            # builds target/release/nlsim first
#   NLSIM=path/to/nlsim RUNS=41 BATCH_RUNS=21 bash examples/bench-run.sh   (BATCH_RUNS=0: parts 1-2 only)
#   ROUTE_ADDS=20000 ROUTE_RUNS=5 ...     (ROUTE_RUNS=0: no part 3)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${NLSIM:-}" ]; then
    cargo build --release -q -p nlsim
    NLSIM="${CARGO_TARGET_DIR:-target}/release/nlsim"
fi
RUNS="${RUNS:-41}"
BATCH_RUNS="${BATCH_RUNS:-21}"
BATCH_LINKS="${BATCH_LINKS:-2000}"
ROUTE_ADDS="${ROUTE_ADDS:-20000}"
ROUTE_RUNS="${ROUTE_RUNS:-5}"

if [ "$(id -u)" -eq 0 ]; then UNSHARE=(unshare -n); else UNSHARE=(unshare -rn); fi
"${UNSHARE[@]}" true 2>/dev/null || { echo "bench-run: ${UNSHARE[*]} does not work here" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for ((i = 0; i < BATCH_LINKS; i++)); do echo "link add v$i type veth peer name p$i"; done >"$work/batch"
# Routes via a gateway on a port-less bridge (the host kernel has no dummy driver); the three
# setup lines are 3 of the ROUTE_ADDS + 3 requests.
{
    printf 'link add br0 type bridge\nlink set br0 up\naddress add 192.0.2.1/24 dev br0\n'
    for ((i = 0; i < ROUTE_ADDS; i++)); do
        echo "route add 10.$((i / 65536)).$((i / 256 % 256)).$((i % 256))/32 via 192.0.2.254"
    done
} >"$work/routes"

python3 - "$NLSIM" "$RUNS" "$BATCH_RUNS" "$work/batch" "$BATCH_LINKS" "$work/routes" "$ROUTE_ADDS" "$ROUTE_RUNS" "${UNSHARE[@]}" <<'PY'
import os, statistics, sys, time

nlsim, runs, batch_runs, batch, links = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
routes, route_adds, route_runs = sys.argv[6], int(sys.argv[7]), int(sys.argv[8])
unshare = sys.argv[9:]
devnull = os.open(os.devnull, os.O_WRONLY)

def which(p):
    if "/" in p:
        return p
    for d in os.environ.get("PATH", "/usr/bin:/bin").split(":"):
        c = os.path.join(d or ".", p)
        if os.access(c, os.X_OK):
            return c
    sys.exit(f"bench-run: {p} not found")

cpu = {}

def timed(argv):
    """Wall seconds from posix_spawn to exit; fails loudly on a non-zero status. The CPU time
    of the process and the children it waited for (user + system) is kept in `cpu`: on a
    loaded machine it moves less than the wall time."""
    path = which(argv[0])
    t = time.perf_counter_ns()
    pid = os.posix_spawn(path, argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, status, ru = os.wait4(pid, 0)
    dt = (time.perf_counter_ns() - t) / 1e9
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench-run: {' '.join(argv)} exited {os.waitstatus_to_exitcode(status)}")
    cpu.setdefault(tuple(argv), []).append(ru.ru_utime + ru.ru_stime)
    return dt

def compare_all(title, sides, n, warmup=3):
    """Runs the (name, argv) `sides` interleaved n times; prints and returns their medians."""
    for _ in range(warmup):
        for _, argv in sides:
            timed(argv)
    vals = [[] for _ in sides]
    for _ in range(n):
        for v, (_, argv) in zip(vals, sides):
            v.append(timed(argv))
    unit, k = ("ms", 1e3)
    print(f"{title}  ({n} interleaved runs each, median)")
    medians = []
    for (name, argv), v in zip(sides, vals):
        m = statistics.median(v)
        medians.append(m)
        c = statistics.median(cpu[tuple(argv)][-n:]) * k
        print(f"  {name:<34} {m * k:9.2f} {unit}   (min {min(v) * k:.2f}, max {max(v) * k:.2f})"
              f"   cpu {c:.2f} {unit}")
    return medians

def compare(title, a_name, a_argv, b_name, b_argv, n, warmup=3):
    return tuple(compare_all(title, [(a_name, a_argv), (b_name, b_argv)], n, warmup))

native, sim = compare(
    "1. ip link show",
    "native ip link show", ["ip", "link", "show"],
    "nlsim run -- ip link show", [nlsim, "run", "--", "ip", "link", "show"],
    runs,
)
print(f"  ratio nlsim/native: {sim / native:.2f}x   (target <= 1.2x)\n")

native, sim = compare(
    "2. true (start cost alone)",
    "/bin/true", ["/bin/true"],
    "nlsim run -- true", [nlsim, "run", "--", "true"],
    runs,
)
print(f"  nlsim run costs {(sim - native) * 1e3:.2f} ms more than /bin/true\n")

if route_runs > 0:
    # Trapped receives (the default) and the receive fast path (--preload) beside the kernel.
    kernel, sim, fast = compare_all(
        f"3. ip -batch, {route_adds} x route add (one request each)",
        [
            (f"kernel ({' '.join(unshare)})", unshare + ["ip", "-batch", routes]),
            ("nlsim run -- ip -batch", [nlsim, "run", "--", "ip", "-batch", routes]),
            ("nlsim run --preload -- ip -batch",
             [nlsim, "run", "--preload", "--", "ip", "-batch", routes]),
        ],
        route_runs, warmup=1,
    )
    n = route_adds + 3
    print(f"  per request: kernel {kernel / n * 1e6:.1f} us, nlsim {sim / n * 1e6:.1f} us"
          f" (ratio {sim / kernel:.2f}), --preload {fast / n * 1e6:.1f} us"
          f" (ratio {fast / kernel:.2f})   (target <= 1)\n")

if batch_runs == 0:
    sys.exit(0)
kernel, sim = compare(
    f"4. ip -batch, {links} x link add vN type veth peer name pN",
    f"kernel ({' '.join(unshare)})", unshare + ["ip", "-batch", batch],
    "nlsim run -- ip -batch", [nlsim, "run", "--", "ip", "-batch", batch],
    batch_runs, warmup=1,
)
print(f"  nlsim is {kernel / sim:.1f}x faster   (target >= 20x)")
print(f"  per request: kernel {kernel / int(links) * 1e6:.1f} us, nlsim {sim / int(links) * 1e6:.1f} us")
PY
