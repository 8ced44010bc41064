#!/bin/dash
# Runs a scenario file in THIS one dash process (state such as variables, cwd and background jobs
# persists from line to line) and prints the transcript:
#   ## text                 -> NOTE| text
#   # anything else, blank  -> skipped (#@env lines are read by run.sh, not here)
#   command [# RULE-ID ...] -> CMD[n]| command        (trailing ' # ' + upper-case ids is an annotation)
#                              RULE| RULE-ID ...       (only when annotated)
#                              OUT| line ...           stdout, ERR| line ... stderr, RC| exit status
# Each command runs with stdin </dev/null. Then the final state per namespace and the kernel log.
# Run it as  dash -c '. runner.sh' sh SCENARIO NAME  so that shell errors read "sh: 1: ..." (the
# same on any machine; the nlsim side can use this very script to produce comparable transcripts).
__file=$1
__name=$2
# Scratch files for each command's output: $TMPDIR when set (the nlsim side runs several
# transcripts on one host), /tmp in the guest.
__tmp=${TMPDIR:-/tmp}
exec 3< "$__file"
[ ! -f /oracle/build.env ] || . /oracle/build.env

echo "=====ORACLE-BEGIN====="
echo "# kernel: $(uname -r) ($(uname -v))"
echo "# iproute2: $(ip -V) (Debian iproute2 $HOST_IPROUTE2); shell: dash $HOST_DASH"
echo "# scenario: $__name"
echo "# oracle: golden/oracle (qemu TCG, 1 vCPU, busybox initramfs, fresh boot per scenario), runs as root in init_net"
if [ "$ORACLE_MODPARAMS" = 1 ] && [ "$ORACLE_PRELOAD" = 1 ]; then __p="dummy:numdummies=0 bonding:max_bonds=0 ifb:numifbs=0"; else __p="module defaults"; fi
echo "# modules preloaded: $ORACLE_PRELOAD ($(wc -l < /proc/modules) modules loaded; params: $__p)"
[ -z "${ORACLE_EXTRA_MODULES:-}" ] || echo "# extra modules (modprobe after the preload): $ORACLE_EXTRA_MODULES"
if [ -f /oracle/cni.env ]; then
    . /oracle/cni.env
    echo "# CNI: containernetworking-plugins $CNI_PLUGINS_VERSION in /usr/lib/cni, iptables $IPTABLES_VERSION (nft); ORACLE_CNI=$ORACLE_CNI"
fi
echo "# net.core.fb_tunnels_only_for_init_net=$(cat /proc/sys/net/core/fb_tunnels_only_for_init_net)"
if [ -n "$ORACLE_NETDEVSIM" ]; then
    echo "# NICs: netdevsim new_device '$ORACLE_NETDEVSIM' -> $(cd /sys/bus/netdevsim/devices/*/net 2>/dev/null && echo *) (state DOWN, random MAC); lo is left DOWN"
else
    echo "# NICs: none; lo is left DOWN"
fi
echo "=====SCENARIO-BEGIN====="
__n=0
while IFS= read -r __line <&3; do
    case $__line in
        '##') echo "NOTE|"; continue ;;
        '## '*) echo "NOTE| ${__line#'## '}"; continue ;;
        '#'* | '') continue ;;
    esac
    __cmd=$__line
    __rule=
    __tail=${__line##* # }
    if [ "$__tail" != "$__line" ]; then
        case $__tail in
            '' | *[!A-Z0-9,\ -]*) ;;
            [A-Z]*)
                __rule=$__tail
                __cmd=${__line% # *}
                while :; do
                    case $__cmd in *' ' | *'	') __cmd=${__cmd%?} ;; *) break ;; esac
                done
                ;;
        esac
    fi
    __n=$((__n + 1))
    echo "CMD[$__n]| $__cmd"
    [ -z "$__rule" ] || echo "RULE| $__rule"
    eval "$__cmd" </dev/null >"$__tmp/.oracle.out" 2>"$__tmp/.oracle.err"
    __rc=$?
    while IFS= read -r __l || [ -n "$__l" ]; do printf 'OUT| %s\n' "$__l"; done < "$__tmp/.oracle.out"
    while IFS= read -r __l || [ -n "$__l" ]; do printf 'ERR| %s\n' "$__l"; done < "$__tmp/.oracle.err"
    echo "RC| $__rc"
done
exec 3<&-
echo "=====SCENARIO-END====="
# Settle before the final state: linkwatch (operstate) runs asynchronously and IPv6 DAD keeps new
# addresses "tentative" for ~1 s of wall time; wait (max 5 s) until no address is tentative anywhere.
sleep 0.3
__i=0
while [ $__i -lt 25 ]; do
    __t=$(ip -6 -o addr show tentative 2>/dev/null)
    for __ns in $(ip netns list 2>/dev/null | cut -d' ' -f1); do
        __t=$__t$(ip -n "$__ns" -6 -o addr show tentative 2>/dev/null)
    done
    [ -n "$__t" ] || break
    sleep 0.2
    __i=$((__i + 1))
done
for __ns in '' $(ip netns list 2>/dev/null | cut -d' ' -f1 | sort); do
    if [ -z "$__ns" ]; then __ip="ip"; __where="init_net"; else __ip="ip -n $__ns"; __where="netns $__ns"; fi
    for __what in "-d -j -p link show" "-j -p addr show" "-j -p route show table all" "-6 -j -p route show table all"; do
        echo "=== FINAL $__where: ip $__what"
        $__ip $__what 2>&1
        echo
    done
done
echo "=== DMESG (kernel log during the scenario)"
dmesg | sed 's/^/KLOG| /'
echo "=====ORACLE-END====="
