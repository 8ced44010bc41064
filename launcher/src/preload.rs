//! The receive fast path: a library preloaded into the target (preload/nlsim_recv.c) that
//! receives natively on simulator sockets through a trampoline page the seccomp filter lets
//! recvmsg through from, so iproute2's two receives per request cost no trap.
//!
//! The supervisor tells the library which fds may take it through a table page in the
//! target (`TABLE_ADDR`), written with process_vm_writev on a trapped receive: fd → the
//! socket's inode, the receive length already reported (`nlk->max_recvmsg_len` must see
//! growth), and an ok flag. The library checks the inode with fstat, so a reused fd number
//! never matches; anything else (no entry, a larger buffer, other flags, static binaries
//! that never load the library) keeps the trapped path.

use crate::target::Thread;
use std::ffi::OsString;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::PathBuf;

/// The trampoline is x86_64 code (`mov eax, SYS_recvmsg; syscall; ret`).
pub(crate) const SUPPORTED: bool = cfg!(target_arch = "x86_64");
pub(crate) const PAGE: u64 = 4096;
/// The trampoline page (build.rs passes the same number to the C compiler).
pub(crate) const TRAMP_ADDR: u64 = 0x6e6c_0000_0000;
/// The table page, right after the trampoline.
const TABLE_ADDR: u64 = TRAMP_ADDR + PAGE;
/// Entries in the table: fds 0..TABLE_FDS.
const TABLE_FDS: u64 = 254;
/// The table's serve sequence: odd while the simulator is served.
const SEQ_ADDR: u64 = TABLE_ADDR + 8;
const TABLE_MAGIC: u64 = 0x0062_6174_3073_6c6e;
const ENTRY_LEN: usize = 16;

/// The compiled library.
static LIBRARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nlsim_recv.so"));

/// The library written to a private directory for the target's LD_PRELOAD; removed on drop.
pub struct PreloadFile {
    dir: PathBuf,
    path: PathBuf,
}

impl PreloadFile {
    /// Writes the library under a fresh 0700 directory of the temporary directory.
    pub fn create() -> io::Result<Self> {
        let base = std::env::temp_dir();
        let pid = std::process::id();
        for n in 0u32..100 {
            let dir = base.join(format!("nlsim-preload-{pid}-{n}"));
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
            let path = dir.join("nlsim_recv.so");
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o500)
                .open(&path)?;
            f.write_all(LIBRARY)?;
            return Ok(PreloadFile { dir, path });
        }
        Err(io::Error::from(io::ErrorKind::AlreadyExists))
    }

    /// The target's LD_PRELOAD: the library first, then whatever the caller preloads.
    pub fn ld_preload(&self) -> OsString {
        let mut v = self.path.clone().into_os_string();
        if let Some(old) = std::env::var_os("LD_PRELOAD").filter(|o| !o.is_empty()) {
            v.push(" ");
            v.push(old);
        }
        v
    }
}

impl Drop for PreloadFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// One table entry as the library reads it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Entry {
    pub ino: u64,
    pub recv_len: u32,
    pub ok: bool,
}

impl Entry {
    fn bytes(self) -> [u8; ENTRY_LEN] {
        let mut b = [0u8; ENTRY_LEN];
        b[..8].copy_from_slice(&self.ino.to_ne_bytes());
        b[8..12].copy_from_slice(&self.recv_len.to_ne_bytes());
        b[12..].copy_from_slice(&u32::from(self.ok).to_ne_bytes());
        b
    }
}

fn entry_addr(fd: u64) -> u64 {
    TABLE_ADDR + 16 + fd * ENTRY_LEN as u64
}

/// Writes the serve sequence `seq` into process `tgid`'s table (odd: a serve is under way,
/// so its native receives wait; see `settled` in the library).
/// Returns false when the process is gone (or has no table any more).
pub(crate) fn set_serve_seq(tgid: i32, seq: u64) -> bool {
    vm_write(tgid, SEQ_ADDR, &seq.to_ne_bytes())
}

fn vm_write(tid: i32, addr: u64, buf: &[u8]) -> bool {
    Thread { tid }.write(addr, buf).is_ok()
}

/// Makes thread `tid`'s table say `want` for `fd`, if its process loaded the library (the
/// magic is there) and `fd` fits. Returns whether the entry now says `want`.
pub(crate) fn set_entry(tid: i32, fd: u64, want: Entry) -> bool {
    if fd >= TABLE_FDS {
        return false;
    }
    let t = Thread { tid };
    if t.read_u64(TABLE_ADDR).ok() != Some(TABLE_MAGIC) {
        return false;
    }
    let Ok(cur) = t.read_array::<ENTRY_LEN>(entry_addr(fd)) else {
        return false;
    };
    if cur == want.bytes() {
        return true;
    }
    let same_socket = cur[..8] == want.ino.to_ne_bytes();
    if !same_socket || !want.ok {
        // Another thread may read the entry while it is written: clear ok first, so no
        // read ever pairs the new inode with the old socket's receive length.
        if !vm_write(tid, entry_addr(fd) + 12, &0u32.to_ne_bytes()) {
            return false;
        }
        let cleared = Entry { ok: false, ..want };
        if !vm_write(tid, entry_addr(fd), &cleared.bytes()[..12]) {
            return false;
        }
        return !want.ok || vm_write(tid, entry_addr(fd) + 12, &1u32.to_ne_bytes());
    }
    // The same socket: the receive length only grows, so any mix of old and new is safe.
    vm_write(tid, entry_addr(fd), &want.bytes())
}
