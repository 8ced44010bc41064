#!/usr/bin/env bash
# build.sh — build netdevsim.ko out of tree and the oracle's base initramfs, from the packages that
# fetch.sh put into the cache. No root needed. Idempotent: finished steps are skipped (delete
# $WORK/netdevsim.ko or $WORK/base.cpio to redo one; NLSIM_ORACLE_REBUILD=1 redoes both).
#
#   golden/oracle/build.sh
#
# Output, all in $WORK = ${NLSIM_ORACLE_CACHE:-$HOME/.cache/nlsim-oracle}/$KRELEASE:
#   vmlinuz          the Debian kernel image
#   netdevsim.ko     built from linux-source-6.12 against the matching linux-headers
#   base.cpio        initramfs (newc, uncompressed): busybox-static, dash, the host's ip/bridge and their
#                    libraries, the network modules (decompressed) + netdevsim.ko, /init, the runner.
#                    run.sh appends a small second cpio with the scenario to it at boot time.
#   modules.load     load order (dependencies first) with module parameters, also in the initramfs
#   netlink.test     vishvananda/netlink's test suite (go test -c, static), /usr/bin/netlink.test in the guest
#   cni.cpio         the CNI plugins, iptables and netfilter modules (build-cni.sh), appended by run.sh
#                    for scenarios with '#@env ORACLE_CNI=1' (or =netfilter: also insmod the modules)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${NLSIM_ORACLE_CACHE:-$HOME/.cache/nlsim-oracle}
[ -f "$CACHE/versions.env" ] || "$HERE/fetch.sh"
# shellcheck disable=SC1091
. "$CACHE/versions.env"
WORK=$CACHE/$KRELEASE
DEBS=$CACHE/debs
mkdir -p "$WORK"
JOBS=${NLSIM_ORACLE_JOBS:-2}
if [ "${NLSIM_ORACLE_REBUILD:-0}" = 1 ]; then rm -f "$WORK/netdevsim.ko" "$WORK/base.cpio"; fi

deb() { ls "$DEBS/$1"_*.deb | head -n1; }
log() { echo "build.sh: $*" >&2; }
# shellcheck source=golden/oracle/lib.sh
. "$HERE/lib.sh"

# --- 1. unpack the packages (dpkg-deb -x: no root, nothing installed system-wide) ----------------
ROOT=$WORK/root
if [ ! -f "$ROOT/.unpacked" ]; then
    log "unpacking kernel image, headers, kbuild, busybox into $ROOT"
    rm -rf "$ROOT"; mkdir -p "$ROOT"
    for p in "linux-image-$KABI-amd64-unsigned" "linux-headers-$KABI-amd64" "linux-headers-$KABI-common" \
             "linux-kbuild-$KABI" busybox-static; do
        dpkg-deb -x "$(deb "$p")" "$ROOT"
    done
    # The arch headers' Makefile includes the common Makefile by absolute path (/usr/src/...).
    sed -i "s|^include /usr/src/|include $ROOT/usr/src/|" "$ROOT/usr/src/linux-headers-$KRELEASE/Makefile"
    touch "$ROOT/.unpacked"
fi
cp -f "$ROOT/boot/vmlinuz-$KRELEASE" "$WORK/vmlinuz"
BB=$ROOT/bin/busybox
MODDIR=$ROOT/lib/modules/$KRELEASE

# --- 2. netdevsim.ko ------------------------------------------------------------------------------
if [ ! -f "$WORK/netdevsim.ko" ]; then
    SRC=$WORK/src
    if [ ! -f "$SRC/linux-source-6.12/drivers/net/netdevsim/Makefile" ]; then
        log "extracting drivers/net/netdevsim from linux-source-6.12 (decompresses the whole tarball, ~1 min)"
        rm -rf "$SRC"; mkdir -p "$SRC"
        dpkg-deb --fsys-tarfile "$(deb linux-source-6.12)" |
            tar -xO ./usr/src/linux-source-6.12.tar.xz |
            tar -xJ -C "$SRC" linux-source-6.12/drivers/net/netdevsim
    fi
    log "building netdevsim.ko (make -j$JOBS)"
    make -s -C "$ROOT/usr/src/linux-headers-$KRELEASE" M="$SRC/linux-source-6.12/drivers/net/netdevsim" \
        CONFIG_NETDEVSIM=m CONFIG_DEBUG_INFO_BTF_MODULES= -j"$JOBS" modules >&2
    cp "$SRC/linux-source-6.12/drivers/net/netdevsim/netdevsim.ko" "$WORK/netdevsim.ko"
fi
vermagic=$(modinfo_field vermagic "$WORK/netdevsim.ko")
case "$vermagic" in "$KRELEASE "*) ;; *) log "netdevsim.ko vermagic '$vermagic' != $KRELEASE"; exit 1 ;; esac

# --- 2b. netlink.test: vishvananda/netlink's own test suite (scenario vishvananda-links) ----------
# Built from Debian's golang-github-vishvananda-netlink-dev source with the host's Go, static
# (CGO_ENABLED=0) so the guest needs no libraries. Rebuilt when the package's files are newer.
VISH_SRC=/usr/share/gocode/src/github.com/vishvananda/netlink
if ! command -v go >/dev/null 2>&1 || [ ! -f "$VISH_SRC/link_test.go" ]; then
    log "netlink.test needs Go and vishvananda/netlink's source: apt-get install golang-go golang-github-vishvananda-netlink-dev"
    exit 1
fi
if [ ! -f "$WORK/netlink.test" ] || [ -n "$(find "$VISH_SRC" -newer "$WORK/netlink.test" -name '*.go' | head -n1)" ]; then
    log "building netlink.test (go test -c, vishvananda/netlink $(dpkg-query -W -f '${Version}' golang-github-vishvananda-netlink-dev 2>/dev/null || echo '?'))"
    (cd "$VISH_SRC" && GO111MODULE=off GOPATH=/usr/share/gocode CGO_ENABLED=0 GOFLAGS= \
        GOCACHE="$CACHE/gocache" go test -c -o "$WORK/netlink.test.tmp" .) >&2
    mv "$WORK/netlink.test.tmp" "$WORK/netlink.test"
fi

# --- 2c. the CNI overlay (cni.cpio: plugins, iptables, netfilter modules; issue 18) -------------
# A second initramfs that run.sh appends only for scenarios with `#@env ORACLE_CNI=...`.
"$HERE/build-cni.sh"

# --- 3. initramfs ---------------------------------------------------------------------------------
if [ -f "$WORK/base.cpio" ] && [ "$WORK/base.cpio" -nt "$HERE/guest-init.sh" ] \
   && [ "$WORK/base.cpio" -nt "$HERE/guest-runner.sh" ] && [ "$WORK/base.cpio" -nt "$HERE/build.sh" ] \
   && [ "$WORK/base.cpio" -nt "$HERE/nlraw.c" ] && [ "$WORK/base.cpio" -nt "$HERE/lib.sh" ] && [ "$WORK/base.cpio" -nt "$WORK/netlink.test" ]; then
    log "base initramfs up to date: $WORK/base.cpio"
    exit 0
fi
IR=$WORK/initramfs
log "assembling initramfs in $IR"
rm -rf "$IR"
mkdir -p "$IR"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,tmp,run,etc,oracle,var,"lib/modules/$KRELEASE"}
ln -s ../run "$IR/var/run"
cp "$BB" "$IR/bin/busybox"
for a in $("$BB" --list); do
    [ "$a" = busybox ] && continue
    ln -s busybox "$IR/bin/$a"
done
ln -s ../bin/busybox "$IR/sbin/modprobe"

# Host userspace: ip, bridge (iproute2) and dash (the scenario shell) with their shared libraries.
copy_with_libs /usr/sbin/ip /usr/sbin/ip
copy_with_libs /usr/sbin/bridge /usr/sbin/bridge
copy_with_libs "$(command -v dash)" /bin/dash
# nlraw: the project's raw-bytes client (malformed-request scenarios), static so it needs no libraries.
gcc -static -O2 -o "$IR/usr/bin/nlraw" "$HERE/nlraw.c"
# netlink.test: vishvananda/netlink's test binary (step 2b), static.
install -m 0755 "$WORK/netlink.test" "$IR/usr/bin/netlink.test"
# iproute2 reads /etc/iproute2 (rt_tables, group names, ...) when it prints names.
if [ -d /etc/iproute2 ]; then cp -r /etc/iproute2 "$IR/etc/"; fi
[ -d /usr/share/iproute2 ] && mkdir -p "$IR/usr/share" && cp -r /usr/share/iproute2 "$IR/usr/share/"
echo "root:x:0:0:root:/root:/bin/sh" > "$IR/etc/passwd"
echo "root:x:0:" > "$IR/etc/group"

# Kernel modules: the wanted set plus dependencies (from each module's modinfo 'depends', since the
# image package ships no modules.dep), decompressed, load order = dependencies first.
WANT="bridge stp llc veth dummy psample 8021q macvlan macvtap tap ipvlan ipvtap bonding team
      team_mode_activebackup team_mode_broadcast team_mode_loadbalance team_mode_random team_mode_roundrobin
      vrf vxlan geneve ip_gre ip6_gre gre ip_tunnel ip6_tunnel udp_tunnel ip6_udp_tunnel nlmon ifb tun"
MODDEST=$IR/lib/modules/$KRELEASE
read_modules_order
for m in $WANT; do visit "$m"; done
visit netdevsim
# Kinds measured on demand (issue 12): in the initramfs for `#@env ORACLE_EXTRA_MODULES=...` (guest-init.sh
# modprobes them) and for autoload, but NOT in modules.load, so the preloaded set and the transcripts'
# "modules loaded" header of the existing scenarios stay as they were. Dependencies are copied too
# (tunnel4, xfrm4_tunnel, can-dev, curve25519/chacha libs, ...); ORDER_BASE marks where they start.
# gcm + ghash-generic: macsec_validate_attr allocates a gcm(aes) AEAD for a non-default icvlen (the
# crypto API's request_module finds them by their crypto-* aliases; without them the answer is ENOENT).
EXTRA="ipip sit ip_vti ip6_vti xfrm_interface wireguard macsec gcm ghash_generic vcan vxcan"
ORDER_BASE=${#ORDER[@]}
for m in $EXTRA; do visit "$m"; done
cp "$WORK/netdevsim.ko" "$IR/lib/modules/$KRELEASE/netdevsim.ko"
: > "$WORK/modules.load"
for m in "${ORDER[@]:0:$ORDER_BASE}"; do
    case $m in
        dummy) p="numdummies=0" ;;
        bonding) p="max_bonds=0" ;;
        ifb) p="numifbs=0" ;;
        *) p="" ;;
    esac
    echo "$m $p" >> "$WORK/modules.load"
done
cp "$WORK/modules.load" "$IR/lib/modules/$KRELEASE/modules.load"
printf '%s\n' "${ORDER[@]:$ORDER_BASE}" > "$IR/lib/modules/$KRELEASE/modules.extra"
# modules.dep etc. so that the kernel's own autoload (request_module -> /sbin/modprobe) works too.
"$BB" depmod -b "$IR" "$KRELEASE" 2>/dev/null || log "busybox depmod failed (module autoload unavailable)"

install -m 0755 "$HERE/guest-init.sh" "$IR/init"
install -m 0755 "$HERE/guest-runner.sh" "$IR/oracle/runner.sh"
cat > "$IR/oracle/build.env" <<ENV
KRELEASE=$KRELEASE
KVERSION=$KVERSION
BUSYBOX_VERSION=$BUSYBOX_VERSION
HOST_IPROUTE2=$(dpkg-query -W -f '${Version}' iproute2 2>/dev/null || echo unknown)
HOST_DASH=$(dpkg-query -W -f '${Version}' dash 2>/dev/null || echo unknown)
ENV

cpio_create "$IR" > "$WORK/base.cpio.tmp"
mv "$WORK/base.cpio.tmp" "$WORK/base.cpio"
log "initramfs: $WORK/base.cpio ($(du -h "$WORK/base.cpio" | cut -f1), $ORDER_BASE preloadable + $((${#ORDER[@]} - ORDER_BASE)) extra modules)"
