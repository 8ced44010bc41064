#!/usr/bin/env bash
# Installs the netlink clients the `nlsim run` client tests drive (sim/tests/run_busybox.rs,
# run_nettools.rs, run_go.rs, run_pyroute2.rs, run_addr_route_clients.rs): busybox's static `ip` applet, Go with
# vishvananda/netlink from Debian, net-tools' ifconfig, the CNI reference plugins in /usr/lib/cni
# (containernetworking-plugins, issue 18; it pulls in iptables, which the oracle's CNI overlay
# copies into its guest for portmap), and pyroute2 from PyPI in a venv at
# target/pyenv (where run_pyroute2.rs looks unless NLSIM_PYROUTE2_PYTHON names another
# interpreter). Idempotent: every step is skipped when
# its result is already there. Runs as root in CI; a developer can run it with sudo rights.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

packages=(busybox-static golang-go golang-github-vishvananda-netlink-dev net-tools containernetworking-plugins python3 python3-venv)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The system interpreter, not a pyenv shim: the tests run it as nobody too, and a venv made
# from /root/.pyenv would point into a directory nobody cannot read.
venv="${CARGO_TARGET_DIR:-target}/pyenv"
if ! "$venv/bin/python3" -c 'import pyroute2' >/dev/null 2>&1; then
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check pyroute2
fi
# nobody must be able to run the venv's interpreter and read pyroute2 (umask in CI may be 077).
chmod -R a+rX "$venv"
"$venv/bin/python3" -c 'import pyroute2; print("pyroute2", pyroute2.__version__)'
