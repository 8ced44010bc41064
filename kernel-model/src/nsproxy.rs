//! What the rest of the machine knows about network namespaces: which task is in which one
//! (`task->nsproxy->net_ns`) and the namespace files under `/run/netns` that iproute2 makes
//! (bind mounts of nsfs files, `ip netns add`). The kernel keeps these in the VFS and the task
//! structs; the model keeps them here so that the simulator can answer `setns`, `unshare`,
//! `mount` and `open` of those paths for the launcher, and so that a namespace stays alive
//! exactly while something refers to it (`put_net`: a mount, a task or a socket).

use crate::device::NetnsId;
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::errno;
use serde::{Deserialize, Serialize};

/// iproute2's `NETNS_RUN_DIR`.
pub const NETNS_RUN_DIR: &str = "/run/netns";

/// `/run/netns`: whether it exists and its entries, oldest first. An entry is a plain empty
/// file until a namespace is bind-mounted on it (`ip netns add` creates the file, then
/// mounts). The order is kept because `readdir` shows it: newest first on the oracle's
/// tmpfs (measured: golden/kernel/6.12/netns-details.txt CMD[4], CMD[7]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetnsRunDir {
    pub exists: bool,
    pub files: Vec<(String, Option<NetnsId>)>,
}

impl NetnsRunDir {
    fn get(&self, name: &str) -> Option<&Option<NetnsId>> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, m)| m)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Option<NetnsId>> {
        self.files
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m)
    }

    /// The entry names, oldest first.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.files.iter().map(|(n, _)| n.as_str())
    }
}

/// A task that is not in the initial namespace: its namespace, and the start time that tells
/// it apart from a later task reusing its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskNs {
    pub start: u64,
    pub netns: NetnsId,
}

/// A valid entry name: one path component (the kernel's lookup would fail on anything else
/// with ENOENT; iproute2 never builds one).
fn entry_name(name: &str) -> KResult<&str> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(KernelError::new(errno::ENOENT));
    }
    // NAME_MAX: a longer path component fails the lookup itself.
    if name.len() > NAME_MAX {
        return Err(KernelError::new(errno::ENAMETOOLONG));
    }
    Ok(name)
}

/// `NAME_MAX` (include/uapi/linux/limits.h).
const NAME_MAX: usize = 255;

impl Kernel {
    pub fn netns_run_dir(&self) -> &NetnsRunDir {
        &self.run_netns
    }

    /// `mkdir /run/netns`.
    pub fn run_netns_mkdir(&mut self) -> KResult<()> {
        if self.run_netns.exists {
            return Err(KernelError::new(errno::EEXIST));
        }
        self.run_netns.exists = true;
        Ok(())
    }

    /// `open("/run/netns/NAME", O_CREAT [| O_EXCL])`.
    pub fn run_netns_create(&mut self, name: &str, excl: bool) -> KResult<()> {
        let name = entry_name(name)?;
        if !self.run_netns.exists {
            return Err(KernelError::new(errno::ENOENT));
        }
        if self.run_netns.get(name).is_some() {
            if excl {
                return Err(KernelError::new(errno::EEXIST));
            }
            return Ok(());
        }
        self.run_netns.files.push((name.to_string(), None));
        Ok(())
    }

    /// `open("/run/netns/NAME")`: the namespace mounted there, `None` for a plain file.
    pub fn run_netns_lookup(&self, name: &str) -> KResult<Option<NetnsId>> {
        let name = entry_name(name)?;
        match self.run_netns.get(name) {
            Some(ns) if self.run_netns.exists => Ok(*ns),
            _ => Err(KernelError::new(errno::ENOENT)),
        }
    }

    /// `mount(nsfs file of ns, "/run/netns/NAME", MS_BIND)`.
    pub fn run_netns_mount(&mut self, name: &str, ns: NetnsId) -> KResult<()> {
        let name = entry_name(name)?;
        if !self.namespaces.contains_key(&ns) {
            return Err(KernelError::new(errno::ENOENT));
        }
        let exists = self.run_netns.exists;
        match self.run_netns.get_mut(name) {
            Some(slot) if exists => {
                *slot = Some(ns);
                Ok(())
            }
            _ => Err(KernelError::new(errno::ENOENT)),
        }
    }

    /// `umount2("/run/netns/NAME")`: EINVAL when nothing is mounted there (`do_umount` on a
    /// path that is not a mount point). The caller drops the namespace if that was its last
    /// reference.
    pub fn run_netns_umount(&mut self, name: &str) -> KResult<NetnsId> {
        let name = entry_name(name)?;
        let exists = self.run_netns.exists;
        match self.run_netns.get_mut(name) {
            Some(slot) if exists => slot.take().ok_or(KernelError::new(errno::EINVAL)),
            _ => Err(KernelError::new(errno::ENOENT)),
        }
    }

    /// `unlink("/run/netns/NAME")`: EBUSY while a namespace is mounted on it (`vfs_unlink`
    /// refuses mount points).
    pub fn run_netns_unlink(&mut self, name: &str) -> KResult<()> {
        let name = entry_name(name)?;
        match self.run_netns.get(name) {
            Some(Some(_)) => Err(KernelError::new(errno::EBUSY)),
            Some(None) if self.run_netns.exists => {
                self.run_netns.files.retain(|(n, _)| n != name);
                Ok(())
            }
            _ => Err(KernelError::new(errno::ENOENT)),
        }
    }

    /// The namespace a task recorded as having left the initial one is in, if the record is
    /// still that task's (same start time).
    pub fn task_netns(&self, tid: u32, start: u64) -> Option<NetnsId> {
        self.tasks
            .get(&tid)
            .filter(|t| t.start == start && self.namespaces.contains_key(&t.netns))
            .map(|t| t.netns)
    }

    pub fn has_tasks(&self) -> bool {
        !self.tasks.is_empty()
    }

    /// `switch_task_namespaces`: the task is now in `ns` (init_net drops the record).
    pub fn set_task_netns(&mut self, tid: u32, start: u64, ns: NetnsId) {
        if ns == self.init_net() {
            self.tasks.remove(&tid);
        } else {
            self.tasks.insert(tid, TaskNs { start, netns: ns });
        }
    }

    /// Records of tasks, for the caller to drop those that exited.
    pub fn tasks(&self) -> impl Iterator<Item = (u32, TaskNs)> + '_ {
        self.tasks.iter().map(|(t, n)| (*t, *n))
    }

    pub fn forget_task(&mut self, tid: u32) {
        self.tasks.remove(&tid);
    }

    /// An open nsfs file of `ns` (the launcher's stand-in, named by its socket inode):
    /// like the kernel's `ns_get_path` reference, it keeps the namespace alive.
    pub fn ns_file_hold(&mut self, ino: u64, ns: NetnsId) -> KResult<()> {
        if !self.namespaces.contains_key(&ns) {
            return Err(KernelError::new(errno::ENOENT));
        }
        self.ns_files.insert(ino, ns);
        Ok(())
    }

    /// The last copy of stand-in `ino` was closed.
    pub fn ns_file_release(&mut self, ino: u64) {
        self.ns_files.remove(&ino);
    }

    /// The namespace an open nsfs stand-in names.
    pub fn ns_file(&self, ino: u64) -> Option<NetnsId> {
        self.ns_files.get(&ino).copied()
    }

    /// Whether a mount under `/run/netns`, an open nsfs file or a task holds `ns` (sockets
    /// are the caller's).
    pub fn netns_held(&self, ns: NetnsId) -> bool {
        ns == self.init_net()
            || self.run_netns.files.iter().any(|(_, m)| *m == Some(ns))
            || self.ns_files.values().any(|n| *n == ns)
            || self.tasks.values().any(|t| t.netns == ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_dir_entries() {
        let mut k = Kernel::new(1);
        // No /run/netns yet: entries cannot be made (ENOENT), then mkdir once.
        assert_eq!(
            k.run_netns_create("a", true).unwrap_err().errno,
            errno::ENOENT
        );
        k.run_netns_mkdir().unwrap();
        assert_eq!(k.run_netns_mkdir().unwrap_err().errno, errno::EEXIST);
        k.run_netns_create("b", true).unwrap();
        k.run_netns_create("a", true).unwrap();
        assert_eq!(
            k.run_netns_create("a", true).unwrap_err().errno,
            errno::EEXIST
        );
        k.run_netns_create("a", false).unwrap();
        assert_eq!(k.netns_run_dir().names().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(
            k.run_netns_create(&"x".repeat(256), true)
                .unwrap_err()
                .errno,
            errno::ENAMETOOLONG
        );
        k.run_netns_create(&"x".repeat(255), true).unwrap();
        assert_eq!(k.run_netns_lookup("zz").unwrap_err().errno, errno::ENOENT);
        assert_eq!(k.run_netns_lookup("a").unwrap(), None);
        // A plain entry: nothing to unmount; unlink works.
        assert_eq!(k.run_netns_umount("a").unwrap_err().errno, errno::EINVAL);
        let ns = k.netns_new();
        k.run_netns_mount("b", ns).unwrap();
        assert!(k.netns_held(ns));
        // A mount point cannot be unlinked; after the unmount it can, and the namespace is
        // no longer held by it.
        assert_eq!(k.run_netns_unlink("b").unwrap_err().errno, errno::EBUSY);
        assert_eq!(k.run_netns_umount("b").unwrap(), ns);
        assert!(!k.netns_held(ns));
        k.run_netns_unlink("b").unwrap();
        k.run_netns_create("b", true).unwrap();
        // Re-created: now the newest entry.
        assert_eq!(k.netns_run_dir().names().last(), Some("b"));
    }

    #[test]
    fn tasks_and_files_hold_namespaces() {
        let mut k = Kernel::new(1);
        let ns = k.netns_new();
        k.set_task_netns(42, 7, ns);
        assert_eq!(k.task_netns(42, 7), Some(ns));
        // Another task that reused the id (another start time) is not in it.
        assert_eq!(k.task_netns(42, 8), None);
        assert!(k.netns_held(ns));
        k.set_task_netns(42, 7, k.init_net());
        assert!(!k.netns_held(ns));
        k.ns_file_hold(99, ns).unwrap();
        assert_eq!(k.ns_file(99), Some(ns));
        assert!(k.netns_held(ns));
        k.ns_file_release(99);
        assert!(!k.netns_held(ns));
        assert!(k.netns_held(k.init_net()));
    }
}
