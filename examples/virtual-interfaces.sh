#!/usr/bin/env bash
# The seed's walkthrough (../shared/seed/README.md: a tour of Linux virtual interfaces), every
# `ip` command in the article's order, each one a separate `ip` process under `nlsim run`
# against one simulated machine kept in a --state file. `ip -br link` follows every section.
#
# What nlsim does not model yet is refused loudly (`nlsim: ... not modelled`) and the walk
# goes on; it exits 0 at the end. Runs unprivileged: as root it drops to nobody (setpriv), so
# nothing here can touch the host's interfaces even where a tool bypasses netlink.
#
#   bash examples/virtual-interfaces.sh            # NLSIM=/path/to/nlsim to pick a binary
set -u
cd "$(dirname "$0")/.."

NLSIM=${NLSIM:-$PWD/target/debug/nlsim}
if [ ! -x "$NLSIM" ]; then
    cargo build -q -p nlsim || exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0777 "$work"
STATE=$work/state.json

as_user=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

nl() { "${as_user[@]}" "$NLSIM" run --state "$STATE" -- "$@"; }

# Print the command, run it, report a failure, never stop.
run() {
    printf '\n$ %s\n' "$*"
    nl "$@" 2>&1
    local rc=$?
    [ "$rc" -eq 0 ] || printf '(exit %d)\n' "$rc"
    return 0
}
note() { printf '\n# %s\n' "$*"; }
section() { printf '\n\n===== %s =====\n' "$*"; }
show() {
    printf '\n--- ip -br link\n'
    nl ip -br link
}

# The machine: lo plus netdevsim device 1 with two ports, eth0 and eth1 (the physical NICs).
"${as_user[@]}" "$NLSIM" run --state "$STATE" --netdevsim 1:2 -- true || exit 1

section "Assumed to exist: eth0, eth1 (NICs), tap1, tap2 (VM ports), veth1 (a namespace's port)"
note "taps come from /dev/net/tun (TUNSETIFF), not netlink; nlsim refuses them for now"
run ip tuntap add dev tap1 mode tap
run ip tuntap add dev tap2 mode tap
note "veth1 is one end of a veth pair whose other end would sit in a namespace"
run ip link add veth1 type veth peer name veth1-peer
show

section "Bridge"
run ip link add br0 type bridge
run ip link set eth0 master br0
run ip link set tap1 master br0
run ip link set tap2 master br0
run ip link set veth1 master br0
note "brctl (bridge-utils) is the legacy way; its ioctls are refused too"
show

section "Bonding"
run ip link add bond1 type bond miimon 100 mode active-backup
run ip link set eth0 master bond1
run ip link set eth1 master bond1
show

section "Team"
team_json='{"runner": {"name": "loadbalance"},"link_watch": {"name": "ethtool"}}'
if command -v teamd >/dev/null; then
    run teamd -o -n -U -d -t team0 -c "$team_json"
else
    note "teamd is not installed; the netlink request it makes first:"
    run ip link add team0 type team
fi
run ip link set eth0 down
run ip link set eth1 down
if command -v teamdctl >/dev/null; then
    run teamdctl team0 port add eth0
    run teamdctl team0 port add eth1
else
    note "teamdctl is not installed; enslaving the ports the ip way:"
    run ip link set eth0 master team0
    run ip link set eth1 master team0
fi
show

section "VLAN"
note "vconfig add eth0 2 (legacy) is: ip link add link eth0 name eth0.2 type vlan id 2"
run ip link add link eth0 name eth0.2 type vlan id 2
run ip link set eth0.2 up
note "vconfig add eth0 3"
run ip link add link eth0 name eth0.3 type vlan id 3
run ip link set eth0.3 up
show

# The macvlan and ipvlan sections are separate sequences in the article (run literally one
# after the other they collide: one parent cannot carry both, and net1 would exist), so the
# ipvlan one starts again from the state before macvlan.
cp "$STATE" "$work/before-macvlan.json"

section "MACVLAN"
run ip link add macv1 link eth0 type macvlan mode bridge
run ip link add macv2 link eth0 type macvlan mode bridge
run ip netns add net1
run ip netns add net2
run ip link set macv1 netns net1
run ip link set macv2 netns net2
show

section "IPVLAN (from the state before the MACVLAN section)"
cp "$work/before-macvlan.json" "$STATE"
run ip link add ipv1 link eth0 type ipvlan mode l2
run ip link add ipv2 link eth0 type ipvlan mode l2
run ip netns add net1
run ip netns add net2
run ip link set dev ipv1 netns net1
run ip link set dev ipv2 netns net2
show

printf '\nDone.\n'
exit 0
