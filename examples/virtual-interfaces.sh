#!/usr/bin/env bash
# The seed's walkthrough (../shared/seed/README.md: a tour of Linux virtual interfaces), every
# `ip` command in the article's order, each one a separate `ip` process under `nlsim run`
# against one simulated machine kept in a --state file. `ip -br link` follows every section.
#
# Every command runs against the simulator (network namespaces included); what nlsim does
# not model would be refused loudly (`nlsim: ... not modelled`) and the walk would go on;
# it exits 0 at the end. Runs unprivileged: as root it drops to nobody (setpriv), so
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
note "eth0 and eth1 are netdevsim ports; taps come from /dev/net/tun (emulated by nlsim run)"
run ip tuntap add dev tap1 mode tap
run ip tuntap add dev tap2 mode tap
note "veth1 is one end of a veth pair whose other end, eth0, sits in namespace ns0"
run ip netns add ns0
run ip link add veth1 type veth peer name eth0 netns ns0
run ip -n ns0 -br link
show

# The article's sections after this one each start from here when they need eth0 for
# themselves (see the MACVLAN section).
cp "$STATE" "$work/assumed.json"

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

# After the team section eth0 is a team port, and a team port cannot carry a macvlan or an
# ipvlan: run literally in sequence, the next section gets EBUSY (the kernel does the same,
# golden/kernel/6.12/seed.txt CMD[33]). The article's macvlan and ipvlan sections are
# separate sequences on a machine whose eth0 is free (../shared/seed/README.md), so each
# starts again from the machine as assumed above.

section "MACVLAN (from the machine as assumed: eth0 free)"
cp "$work/assumed.json" "$STATE"
run ip link add macv1 link eth0 type macvlan mode bridge
run ip link add macv2 link eth0 type macvlan mode bridge
run ip netns add net1
run ip netns add net2
run ip link set macv1 netns net1
run ip link set macv2 netns net2
note "each macvlan has its own MAC; its lower eth0 stays in the initial namespace (@if2)"
run ip -n net1 -d link show dev macv1
run ip -n net2 -br link
show
cp "$STATE" "$work/after-macvlan.json"

section "IPVLAN (from the machine as assumed: eth0 free)"
cp "$work/assumed.json" "$STATE"
run ip link add ipv1 link eth0 type ipvlan mode l2
run ip link add ipv2 link eth0 type ipvlan mode l2
run ip netns add net1
run ip netns add net2
run ip link set dev ipv1 netns net1
run ip link set dev ipv2 netns net2
note "ipvlan sub-interfaces share the parent's MAC"
run ip -n net1 -d link show dev ipv1
run ip -n net2 -br link
run ip -br link show dev eth0
show

section "The two sections run one after the other (the README's collision)"
cp "$work/after-macvlan.json" "$STATE"
note "eth0 carries macvlans (now in net1/net2): an ipvlan on it is refused, and net1 exists"
run ip link add ipv1 link eth0 type ipvlan mode l2
run ip netns add net1
run ip netns list

printf '\nDone.\n'
exit 0
