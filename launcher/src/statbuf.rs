//! `struct stat` and `struct statx` of a file the launcher answers for (a sysctl entry, an
//! nsfs inode), written into the target as the kernel's `cp_new_stat` / `cp_statx` would.

/// What `generic_fillattr` reports of an emulated inode: nlink 1, owned by root, size 0.
pub(crate) struct Inode {
    pub dev: u64,
    pub ino: u64,
    /// File type and permission bits.
    pub mode: u32,
    pub blksize: u32,
    /// atime = mtime = ctime (seconds, nanoseconds).
    pub time: (i64, i64),
}

/// The wall clock now, as an inode's timestamps.
pub(crate) fn now() -> (i64, i64) {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (d.as_secs() as i64, i64::from(d.subsec_nanos()))
}

fn bytes_of<T>(v: &T) -> Vec<u8> {
    // SAFETY: viewing a live plain C struct (no padding read as anything but bytes) as bytes.
    unsafe { std::slice::from_raw_parts(v as *const T as *const u8, std::mem::size_of::<T>()) }
        .to_vec()
}

/// `struct stat` (cp_new_stat).
pub(crate) fn stat_bytes(i: &Inode) -> Vec<u8> {
    let (sec, nsec) = i.time;
    // SAFETY: a plain C struct, all zeroes is a valid value.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    st.st_dev = i.dev;
    st.st_ino = i.ino;
    st.st_mode = i.mode;
    st.st_nlink = 1;
    st.st_blksize = i64::from(i.blksize);
    st.st_atime = sec;
    st.st_atime_nsec = nsec;
    st.st_mtime = sec;
    st.st_mtime_nsec = nsec;
    st.st_ctime = sec;
    st.st_ctime_nsec = nsec;
    bytes_of(&st)
}

/// `struct statx` (cp_statx) with STATX_BASIC_STATS.
pub(crate) fn statx_bytes(i: &Inode) -> Vec<u8> {
    let (sec, nsec) = i.time;
    // SAFETY: a plain C struct, all zeroes is a valid value.
    let mut st: libc::statx = unsafe { std::mem::zeroed() };
    st.stx_mask = libc::STATX_BASIC_STATS;
    st.stx_blksize = i.blksize;
    st.stx_nlink = 1;
    st.stx_mode = i.mode as u16;
    st.stx_ino = i.ino;
    // SAFETY: a plain C struct, all zeroes is a valid value.
    let mut ts: libc::statx_timestamp = unsafe { std::mem::zeroed() };
    ts.tv_sec = sec;
    ts.tv_nsec = nsec as u32;
    st.stx_atime = ts;
    st.stx_mtime = ts;
    st.stx_ctime = ts;
    st.stx_dev_major = libc::major(i.dev);
    st.stx_dev_minor = libc::minor(i.dev);
    bytes_of(&st)
}

/// `struct statfs` of a pseudo filesystem (simple_statfs: the magic, a page as block
/// size, no blocks or inodes, fsid from the device, NAME_MAX; do_statfs_native: frsize =
/// bsize; calculate_f_flags: ST_VALID).
pub(crate) fn pseudo_statfs_bytes(magic: i64, dev: u64) -> Vec<u8> {
    const ST_VALID: i64 = 0x20;
    // SAFETY: a plain C struct, all zeroes is a valid value.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    st.f_type = magic;
    st.f_bsize = 4096;
    st.f_frsize = 4096;
    st.f_namelen = 255;
    // huge_encode_dev + u64_to_fsid: val[0] the low half, val[1] the high half.
    let id = (u64::from(libc::minor(dev)) & 0xff)
        | (u64::from(libc::major(dev)) << 8)
        | ((u64::from(libc::minor(dev)) & !0xff) << 12);
    // SAFETY: fsid_t is two ints; written through its raw parts.
    let halves = [id as u32 as i32, (id >> 32) as u32 as i32];
    unsafe {
        std::ptr::copy_nonoverlapping(
            halves.as_ptr() as *const u8,
            &mut st.f_fsid as *mut libc::fsid_t as *mut u8,
            8,
        )
    };
    let mut out = bytes_of(&st);
    // f_flags follows f_frsize (libc names it among the spare words).
    let at = std::mem::offset_of!(libc::statfs, f_frsize) + 8;
    if let Some(flags) = out.get_mut(at..at + 8) {
        flags.copy_from_slice(&ST_VALID.to_ne_bytes());
    }
    out
}
