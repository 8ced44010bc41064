//! nsfs for the simulated namespaces: what `statfs`, `stat`, `readlink` and inotify show
//! of `/run/netns/NAME`, `/proc/<pid>/ns/net` and the stand-in fds opened on them (see
//! `netns.rs` for the stand-ins themselves), so libraries that check a namespace path
//! (CNI's `ns.GetNS`: `statfs` must say NSFS_MAGIC) or compare two handles (`ip netns
//! identify`/`pids`: `st_dev`/`st_ino`) work.
//!
//! - A namespace is one nsfs inode: st_dev 4 (nsfs's anonymous device, 0:4 on the oracle),
//!   st_ino its `net->ns.inum` from the model, a 0444 regular file owned by root; `readlink`
//!   of `/proc/<pid>/ns/net` is `net:[INUM]` (`ns_get_name`), `statfs` NSFS_MAGIC
//!   (`simple_statfs`). `statfs` of `/proc/self/ns/net` follows the magic link into nsfs, as
//!   the kernel does (PROC_SUPER_MAGIC is only what an `O_PATH | O_NOFOLLOW` fd of the link
//!   shows; `lstat` of the link runs natively and shows the proc symlink).
//! - `fstat`/`fstatfs` (and `newfstatat`/`statx` with AT_EMPTY_PATH) cannot be told apart by
//!   path, and are far too common to send all of them to the supervisor: namespace stand-ins
//!   are installed at a fd number in [`FD_FIRST`]..=[`FD_LAST`] and the filter sends only
//!   the fd calls on those numbers. A stand-in moved elsewhere (`dup2`) shows a socket.
//! - `/run/netns` and its entries without a namespace mounted on them are a real tmpfs
//!   directory the supervisor keeps in step with the simulator's (the "live" directory):
//!   their `stat`/`statfs` are that directory's, and `inotify_add_watch` on `/run/netns` is
//!   made on it, in the target's own inotify instance, so `ip netns monitor` gets the
//!   IN_CREATE / IN_DELETE events of the entries this launcher's targets add and delete.

use crate::error::Errno;
use crate::netns::MirrorDir;
use crate::statbuf;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// `NSFS_MAGIC` (include/uapi/linux/magic.h).
pub(crate) const NSFS_MAGIC: i64 = 0x6e73_6673;
/// nsfs's `s_dev`: `stat -L /proc/self/ns/net` shows device 4 (0:4) on the oracle.
pub(crate) const NSFS_DEV: u64 = 4;
/// The fd numbers namespace stand-ins are installed at (just below sysctl's).
pub(crate) const FD_FIRST: u32 = 984;
pub(crate) const FD_LAST: u32 = 999;

/// `ns_get_name` (fs/nsfs.c): `net:[INUM]`.
pub(crate) fn link_text(inum: u32) -> String {
    format!("net:[{inum}]")
}

/// The nsfs inode of a namespace (`__ns_get_path`: `S_IFREG | 0444`, root's, size 0, a
/// page as block size; its times are when it was made).
pub(crate) fn inode(inum: u32, made: (i64, i64)) -> statbuf::Inode {
    statbuf::Inode {
        dev: NSFS_DEV,
        ino: u64::from(inum),
        mode: libc::S_IFREG | 0o444,
        blksize: 4096,
        time: made,
    }
}

/// `statfs` of an nsfs file.
pub(crate) fn statfs_bytes() -> Vec<u8> {
    statbuf::pseudo_statfs_bytes(NSFS_MAGIC, NSFS_DEV)
}

/// The supervisor's nsfs state: the namespaces' inodes as first seen, and the live
/// directory standing for `/run/netns`.
#[derive(Default)]
pub(crate) struct NsfsState {
    /// By namespace id: its inode number and when its inode was first shown.
    inodes: HashMap<u32, (u32, (i64, i64))>,
    live: Option<(MirrorDir, PathBuf)>,
}

impl NsfsState {
    /// The inode of namespace `id`, its number from `inum` on first use (ids are never
    /// reused, so neither is an entry).
    pub(crate) fn inode_of(
        &mut self,
        id: u32,
        inum: impl FnOnce() -> Result<u32, Errno>,
    ) -> Result<statbuf::Inode, Errno> {
        if let Some(&(n, made)) = self.inodes.get(&id) {
            return Ok(inode(n, made));
        }
        let n = inum()?;
        let made = statbuf::now();
        self.inodes.insert(id, (n, made));
        Ok(inode(n, made))
    }

    /// Whether the live directory exists (a target looked at `/run/netns` through it).
    pub(crate) fn has_live(&self) -> bool {
        self.live.is_some()
    }

    /// The live directory, holding exactly `names` afterwards (made on first use): an
    /// entry that appeared is created (IN_CREATE), one that went away unlinked (IN_DELETE).
    pub(crate) fn sync_live(&mut self, names: &[String]) -> Result<PathBuf, Errno> {
        let io = |e: std::io::Error| Errno(e.raw_os_error().unwrap_or(libc::EIO));
        if self.live.is_none() {
            let base = MirrorDir::with_tag("run-netns-live")?;
            let dir = base.base().join("netns");
            std::fs::create_dir(&dir).map_err(io)?;
            self.live = Some((base, dir));
        }
        let Some((_, dir)) = self.live.as_ref() else {
            return Err(Errno(libc::EIO));
        };
        let want: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        let mut have = BTreeSet::new();
        for e in std::fs::read_dir(dir).map_err(io)? {
            let name = e.map_err(io)?.file_name().to_string_lossy().into_owned();
            if !want.contains(name.as_str()) {
                std::fs::remove_file(dir.join(&name)).map_err(io)?;
            }
            have.insert(name);
        }
        for n in names {
            if !have.contains(n) {
                std::fs::File::create(dir.join(n)).map_err(io)?;
            }
        }
        Ok(dir.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nsfs_inode_and_link() {
        assert_eq!(link_text(4_026_531_840), "net:[4026531840]");
        let i = inode(4_026_532_121, (1, 2));
        assert_eq!((i.dev, i.ino, i.mode), (4, 4_026_532_121, 0o100444));
        let st = statfs_bytes();
        // SAFETY: reading back a struct statfs we just wrote.
        let s: libc::statfs = unsafe { std::ptr::read_unaligned(st.as_ptr() as *const _) };
        assert_eq!(s.f_type, NSFS_MAGIC);
        assert_eq!((s.f_bsize, s.f_namelen, s.f_blocks), (4096, 255, 0));
    }

    #[test]
    fn live_directory_follows_the_names() {
        let mut st = NsfsState::default();
        let dir = st.sync_live(&["a".into(), "b".into()]).expect("live dir");
        let list = |d: &PathBuf| {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .expect("readdir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(list(&dir), ["a", "b"]);
        st.sync_live(&["b".into(), "c".into()]).expect("live dir");
        assert_eq!(list(&dir), ["b", "c"]);
    }
}
