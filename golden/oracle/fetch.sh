#!/usr/bin/env bash
# fetch.sh — download the Debian packages the real-kernel oracle needs into a cache outside the repo.
#
#   golden/oracle/fetch.sh            # newest linux 6.12 that apt offers
#   NLSIM_ORACLE_KVER=6.12.117 golden/oracle/fetch.sh   # pin an upstream version (must still be in the archive;
#                                                       # ci-sample.sh pins the version the goldens were made with)
#
# Cache: ${NLSIM_ORACLE_CACHE:-$HOME/.cache/nlsim-oracle}. Writes $CACHE/versions.env (the exact package
# versions) and $CACHE/debs/*.deb. Nothing is written inside the repository. Idempotent: packages already
# in the cache are not downloaded again. Runs `apt-get update` first (needs root or sudo, like .ci/run);
# `apt-get download` itself runs unprivileged.
set -euo pipefail

CACHE=${NLSIM_ORACLE_CACHE:-$HOME/.cache/nlsim-oracle}
mkdir -p "$CACHE/debs"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

if [ "${NLSIM_ORACLE_NO_UPDATE:-0}" != 1 ]; then
    $SUDO apt-get update -q >/dev/null
fi

# Newest linux-source-6.12 version (e.g. 6.12.117-1~deb12u1), or the pinned upstream version.
pick_version() {
    apt-cache madison linux-source-6.12 | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -u -V |
        { if [ -n "${NLSIM_ORACLE_KVER:-}" ]; then grep -F "${NLSIM_ORACLE_KVER}-"; else cat; fi; } | tail -n1
}
SRCVER=$(pick_version)
[ -n "$SRCVER" ] || { echo "fetch.sh: no linux-source-6.12 in the apt sources" >&2; exit 1; }

# The ABI name (6.12.117+deb12) of the image package built from that same source version.
UPSTREAM=${SRCVER%%-*}
ABI=""
for pkg in $(apt-cache search --names-only "^linux-image-${UPSTREAM//./\\.}\\+deb[0-9]+-amd64-unsigned\$" | awk '{print $1}'); do
    if apt-cache madison "$pkg" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$SRCVER"; then
        ABI=${pkg#linux-image-}; ABI=${ABI%-amd64-unsigned}
    fi
done
[ -n "$ABI" ] || { echo "fetch.sh: no linux-image-$UPSTREAM+*-amd64-unsigned with version $SRCVER" >&2; exit 1; }

pkgs=(
    "linux-image-$ABI-amd64-unsigned=$SRCVER"
    "linux-headers-$ABI-amd64=$SRCVER"
    "linux-headers-$ABI-common=$SRCVER"
    "linux-kbuild-$ABI=$SRCVER"
    "linux-source-6.12=$SRCVER"
)
BBVER=$(apt-cache policy busybox-static | awk '/Candidate:/ {print $2}')
pkgs+=("busybox-static=$BBVER")

# As root, apt would try to drop to _apt, which cannot write to $HOME: download as root, quietly.
SANDBOX_OPT=()
[ "$(id -u)" -ne 0 ] || SANDBOX_OPT=(-o APT::Sandbox::User=root)

cd "$CACHE/debs"
for p in "${pkgs[@]}"; do
    name=${p%%=*}; ver=${p#*=}
    # apt-get download names files NAME_VERSION_ARCH.deb with ':' escaped as %3a.
    if ls "${name}_${ver//:/%3a}_"*.deb >/dev/null 2>&1; then
        echo "cached: $name $ver"
    else
        echo "download: $name $ver"
        apt-get download -q ${SANDBOX_OPT[@]+"${SANDBOX_OPT[@]}"} "$p" >/dev/null
    fi
done

cat > "$CACHE/versions.env" <<VERS
# written by golden/oracle/fetch.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)
KABI=$ABI
KVERSION=$SRCVER
KRELEASE=$ABI-amd64
BUSYBOX_VERSION=$BBVER
VERS
echo "fetch.sh: kernel $ABI-amd64 (Debian $SRCVER), busybox-static $BBVER -> $CACHE"
