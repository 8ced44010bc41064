# lib.sh — shell functions shared by build.sh and build-cni.sh (sourced; bash). The caller sets
# WORK (cache dir of the kernel release), MODDIR (its unpacked /lib/modules/<release>), IR (the
# initramfs tree being assembled), MODDEST (where visit decompresses modules) and defines log.

# modinfo FIELD FILE.ko (from the .modinfo section; needs no modules.dep, unlike busybox modinfo)
modinfo_field() {
    objcopy -O binary --only-section=.modinfo "$2" "$WORK/.modinfo.$$.tmp"
    tr '\0' '\n' < "$WORK/.modinfo.$$.tmp" | sed -n "s/^$1=//p"
    rm -f "$WORK/.modinfo.$$.tmp"
}

# cpio_create DIR > ARCHIVE: newc, root-owned, sorted (the host's cpio, else the guest's busybox)
cpio_create() {
    if command -v cpio >/dev/null 2>&1; then
        (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
    else
        (cd "$1" && find . | LC_ALL=C sort | "$WORK/root/bin/busybox" cpio -o -H newc -R 0:0 2>/dev/null)
    fi
}

# copy_with_libs SRC DEST: a binary into $IR/DEST and the shared libraries ldd lists
copy_with_libs() {
    local bin=$1 dest=$2
    cp -L "$bin" "$IR$dest"
    # ldd lines: "libfoo.so.1 => /lib/x86_64-linux-gnu/libfoo.so.1 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    ldd "$bin" | awk '/=> \// {print $3} /^\t\// {print $1}' | while read -r lib; do
        mkdir -p "$IR$(dirname "$lib")"
        [ -e "$IR$lib" ] || cp -L "$lib" "$IR$lib"
    done
}

# Module name -> path below $MODDIR, from modules.order (kernel/... .ko paths; the files on disk are
# .ko.xz); both spellings of names with '-'.
declare -A MODPATH=() SEEN=()
ORDER=()
read_modules_order() {
    local rel b
    while read -r rel; do
        b=${rel##*/}; b=${b%.ko*}
        MODPATH[$b]=$rel
        MODPATH[${b//-/_}]=$rel
    done < "$MODDIR/modules.order"
}

# visit MODULE: its dependencies (modinfo depends), then itself, decompressed into $MODDEST and
# appended to ORDER; modules already in SEEN are skipped. netdevsim is the one built out of tree.
visit() {
    local m=${1//-/_} f deps d
    [ -n "${SEEN[$m]:-}" ] && return 0
    SEEN[$m]=1
    if [ "$m" = netdevsim ]; then
        f=$WORK/netdevsim.ko
    else
        [ -n "${MODPATH[$m]:-}" ] || { log "module $m not in modules.order"; exit 1; }
        f=$MODDIR/${MODPATH[$m]}
        [ -f "$f" ] || f=$f.xz
        xz -dc "$f" > "$MODDEST/$m.ko"
        f=$MODDEST/$m.ko
    fi
    deps=$(modinfo_field depends "$f")
    for d in ${deps//,/ }; do visit "$d"; done
    ORDER+=("$m")
}
