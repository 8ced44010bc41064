#!/usr/bin/env bash
# build-cni.sh — the CNI overlay of the oracle guest (issue 18): $WORK/cni.cpio, a second initramfs
# that run.sh appends after base.cpio for scenarios with `#@env ORACLE_CNI=...`. Called by build.sh.
#
# Kept out of base.cpio on purpose: the plugins and iptables are ~50 MB that every other boot would
# unpack for nothing, and the base image (shared by every scenario) stays byte-for-byte what it was.
#
# Contents:
#   /usr/lib/cni/*        Debian's containernetworking-plugins (the .deb in $CACHE/debs, dpkg-deb -x),
#                         with the libraries ldd lists
#   /usr/sbin/iptables…   the host's iptables (nft backend, xtables-nft-multi) + its extensions in
#                         /usr/lib/x86_64-linux-gnu/xtables: the portmap plugin runs iptables
#   /lib/modules/K/cni/   netfilter modules (nf_tables, nft_compat, nft_chain_nat, xt_*) and their
#                         dependencies, decompressed; /oracle/cni-modules.load lists them in load order.
#                         guest-init.sh insmods them only for ORACLE_CNI=netfilter (portmap), so the
#                         other CNI scenarios run on a kernel without netfilter, like the base scenarios.
#   /oracle/cni.env       CNI_PLUGINS_VERSION, IPTABLES_VERSION (for the transcript header)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${NLSIM_ORACLE_CACHE:-$HOME/.cache/nlsim-oracle}
# shellcheck disable=SC1091
. "$CACHE/versions.env"
WORK=$CACHE/$KRELEASE
DEBS=$CACHE/debs
MODDIR=$WORK/root/lib/modules/$KRELEASE
OUTCPIO=$WORK/cni.cpio
log() { echo "build-cni.sh: $*" >&2; }
# shellcheck source=golden/oracle/lib.sh
. "$HERE/lib.sh"

# The plugins' package: downloaded into the cache like the kernel packages (fetch.sh does it too).
if ! ls "$DEBS"/containernetworking-plugins_*.deb >/dev/null 2>&1; then
    log "downloading containernetworking-plugins into $DEBS"
    SANDBOX_OPT=()
    [ "$(id -u)" -ne 0 ] || SANDBOX_OPT=(-o APT::Sandbox::User=root)
    (cd "$DEBS" && apt-get download -q ${SANDBOX_OPT[@]+"${SANDBOX_OPT[@]}"} containernetworking-plugins >/dev/null)
fi
CNIDEB=$(ls "$DEBS"/containernetworking-plugins_*.deb | sort -V | tail -n1)
if [ ! -x /usr/sbin/xtables-nft-multi ]; then
    log "the portmap plugin needs iptables in the guest: apt-get install iptables"
    exit 1
fi

if [ -f "$OUTCPIO" ] && [ "$OUTCPIO" -nt "$HERE/build-cni.sh" ] && [ "$OUTCPIO" -nt "$HERE/lib.sh" ] \
   && [ "$OUTCPIO" -nt "$CNIDEB" ]; then
    log "CNI overlay up to date: $OUTCPIO"
    exit 0
fi

IR=$WORK/cni-overlay
log "assembling the CNI overlay in $IR"
rm -rf "$IR"
mkdir -p "$IR"/{usr/lib/cni,usr/sbin,oracle,"lib/modules/$KRELEASE/cni"}

# --- plugins ----------------------------------------------------------------------------------
rm -rf "$WORK/cni-deb"
dpkg-deb -x "$CNIDEB" "$WORK/cni-deb"
for p in "$WORK"/cni-deb/usr/lib/cni/*; do
    copy_with_libs "$p" "/usr/lib/cni/${p##*/}"
done

# --- iptables (nft backend) -------------------------------------------------------------------
copy_with_libs /usr/sbin/xtables-nft-multi /usr/sbin/xtables-nft-multi
for l in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    ln -s xtables-nft-multi "$IR/usr/sbin/$l"
done
XT=/usr/lib/x86_64-linux-gnu/xtables
mkdir -p "$IR$XT"
cp -L "$XT"/*.so "$IR$XT/"
for so in "$XT"/*.so; do
    ldd "$so" 2>/dev/null | awk '/=> \// {print $3}' | while read -r lib; do
        mkdir -p "$IR$(dirname "$lib")"
        [ -e "$IR$lib" ] || cp -L "$lib" "$IR$lib"
    done
done
mkdir -p "$IR/etc"
[ ! -f /etc/ethertypes ] || cp /etc/ethertypes "$IR/etc/"
[ ! -f /etc/protocols ] || cp /etc/protocols "$IR/etc/"

# --- netfilter modules, dependencies first ----------------------------------------------------
# Modules the base image already preloads (their dependencies are loaded too).
while read -r m _; do SEEN[$m]=1; done < "$WORK/modules.load"
MODDEST=$IR/lib/modules/$KRELEASE/cni
read_modules_order
# What iptables-nft needs for portmap's rules: the nat chain type, nft_compat for the xt matches and
# targets it uses (addrtype, comment, multiport, tcp, mark, MASQUERADE, DNAT). crc32c_generic first:
# libcrc32c (nf_conntrack's dependency) has only a `softdep pre: crc32c` on it, no `depends`, and
# fails to load (ENOENT) without a crc32c algorithm.
for m in crc32c_generic nf_tables nft_compat nft_chain_nat nf_nat nf_conntrack xt_addrtype xt_comment xt_multiport \
         xt_tcpudp xt_mark xt_MASQUERADE xt_nat; do
    visit "$m"
done
printf '%s\n' "${ORDER[@]}" > "$IR/oracle/cni-modules.load"

cat > "$IR/oracle/cni.env" <<ENV
CNI_PLUGINS_VERSION=$(dpkg-deb -f "$CNIDEB" Version)
IPTABLES_VERSION=$(dpkg-query -W -f '${Version}' iptables 2>/dev/null || echo unknown)
ENV

cpio_create "$IR" > "$OUTCPIO.tmp"
mv "$OUTCPIO.tmp" "$OUTCPIO"
log "CNI overlay: $OUTCPIO ($(du -h "$OUTCPIO" | cut -f1), ${#ORDER[@]} netfilter modules)"
