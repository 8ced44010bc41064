#!/bin/sh
# /init of the oracle initramfs (busybox sh, PID 1). Prepares the guest the way every transcript
# assumes, runs ONE scenario with /oracle/runner.sh (dash), sends the transcript out on the second
# serial port (/dev/ttyS1, a file on the host) between TRANSFER markers, and powers off.
# Knobs (from /oracle/job.env, written by run.sh from the scenario's '#@env NAME=VALUE' lines):
#   ORACLE_PRELOAD=1        preload all modules of modules.load (0: only netdevsim and its deps)
#   ORACLE_MODPARAMS=1      dummy numdummies=0, bonding max_bonds=0, ifb numifbs=0 (0: module defaults)
#   ORACLE_FB_TUNNELS=2     net.core.fb_tunnels_only_for_init_net (2: no fallback tunnels at all)
#   ORACLE_NETDEVSIM="1 3"  written to /sys/bus/netdevsim/new_device (empty: no NICs)
#   ORACLE_EXTRA_MODULES="" modprobed after the preload (after the sysctl, so no fallback devices
#                           either): the issue-12 kinds (ipip sit ip_vti ip6_vti xfrm_interface
#                           wireguard macsec vcan vxcan), present in the initramfs but not preloaded
#   ORACLE_CNI=""           1: run.sh appended the CNI overlay (build-cni.sh: /usr/lib/cni plugins,
#                           iptables); netfilter: that too, and its netfilter modules are insmodded
#                           (/oracle/cni-modules.load) for the portmap plugin
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run

. /oracle/build.env
ORACLE_PRELOAD=1
ORACLE_MODPARAMS=1
ORACLE_FB_TUNNELS=2
ORACLE_NETDEVSIM="1 3"
ORACLE_EXTRA_MODULES=""
ORACLE_CNI=""
SCENARIO=unknown
[ -f /oracle/job.env ] && . /oracle/job.env
export ORACLE_PRELOAD ORACLE_MODPARAMS ORACLE_FB_TUNNELS ORACLE_NETDEVSIM ORACLE_EXTRA_MODULES ORACLE_CNI SCENARIO KRELEASE HOST_IPROUTE2 HOST_DASH

fail() { echo "ORACLE-INIT-FAILURE: $*"; poweroff -f; }
stage() { read -r up _ < /proc/uptime; echo "oracle: $up s: $*"; }
stage "init started"

# Before any tunnel module is loaded: otherwise ip_gre & co create gre0/gretap0/... fallback devices.
sysctl -qw net.core.fb_tunnels_only_for_init_net="$ORACLE_FB_TUNNELS" || fail "sysctl fb_tunnels"

MODS=/lib/modules/$KRELEASE
NEED=" netdevsim psample "
while read -r m p; do
    [ "$ORACLE_MODPARAMS" = 1 ] || p=""
    if [ "$ORACLE_PRELOAD" = 1 ] || [ "${NEED#* $m }" != "$NEED" ]; then
        # shellcheck disable=SC2086
        insmod "$MODS/$m.ko" $p || fail "insmod $m"
    fi
done < "$MODS/modules.load"
for m in $ORACLE_EXTRA_MODULES; do
    modprobe "$m" || fail "modprobe $m"
done
if [ "$ORACLE_CNI" = netfilter ]; then
    [ -f /oracle/cni-modules.load ] || fail "ORACLE_CNI=netfilter but no CNI overlay"
    while read -r m; do
        insmod "$MODS/cni/$m.ko" || fail "insmod $m"
    done < /oracle/cni-modules.load
fi
stage "modules loaded"

if [ -n "$ORACLE_NETDEVSIM" ]; then
    echo "$ORACLE_NETDEVSIM" > /sys/bus/netdevsim/new_device || fail "netdevsim new_device"
    set -- $ORACLE_NETDEVSIM
    i=0
    while [ "$i" -lt "$2" ]; do
        n=0
        while [ ! -e "/sys/class/net/eth$i" ]; do
            n=$((n + 1)); [ "$n" -lt 100 ] || fail "eth$i did not appear"; sleep 0.05
        done
        i=$((i + 1))
    done
fi
dmesg -c >/dev/null
stage "NICs ready, running $SCENARIO"

# -c + '.': dash names itself "sh" in error messages ("sh: 1: ..."), not the runner's path.
dash -c '. /oracle/runner.sh' sh /oracle/scenario.sh "$SCENARIO" > /tmp/transcript 2>&1
rc=$?
out=/dev/ttyS1
if [ -e /dev/ttyS1 ]; then stty -F /dev/ttyS1 raw -echo 2>/dev/null; else out=/dev/console; fi
{
    echo "=====TRANSFER-BEGIN $SCENARIO====="
    cat /tmp/transcript
    echo "=====TRANSFER-END $SCENARIO runner-rc=$rc====="
} > "$out"
stage "transcript sent"
sync
poweroff -f
