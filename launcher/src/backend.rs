//! What the supervisor needs from a simulator: data connections and the per-socket control
//! operations. `nlsim run` implements it for an embedded simulator and for a daemon.

use crate::error::Errno;
pub use crate::netns::{NetnsAnswer, NetnsRequest};
pub use crate::sysctl::{SysctlAnswer, SysctlEntry, SysctlRequest};
pub use kernel_model::inet::devinet_ioctl::InetIfreq;
use std::io;
use std::net::Ipv4Addr;
use std::os::fd::{OwnedFd, RawFd};

/// One data connection: a connected `AF_UNIX` `SOCK_SEQPACKET` fd that carries raw netlink,
/// and the simulator's id for it (used by the control operations).
pub struct DataConn {
    pub fd: OwnedFd,
    pub id: u64,
}

/// The credentials of the task calling a tun ioctl (from `/proc/<tid>/status`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cred {
    pub euid: u32,
    pub egid: u32,
    pub groups: Vec<u32>,
}

/// The tun ioctls answered by the simulator (the launcher answers TUNGETFEATURES itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TunIoctl {
    /// TUNSETIFF with `ifr_name` (at most IFNAMSIZ - 1 bytes) and `ifr_flags`.
    SetIff {
        name: String,
        flags: u32,
        cred: Cred,
    },
    GetIff,
    SetPersist(bool),
    SetOwner(u32),
    SetGroup(u32),
}

/// A `struct ifreq` as TUNSETIFF / TUNGETIFF give it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ifreq {
    pub name: String,
    pub flags: u32,
}

/// A failed sysfs or `/proc/net` read, or a failed model ioctl: the errno, and a message for the user when the reason is that the
/// simulator does not model the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SysfsError {
    pub errno: Errno,
    pub msg: Option<String>,
}

/// A simulator as seen by the supervisor. All methods are called from the supervisor thread
/// and must answer promptly (the target's system call waits on them).
pub trait Backend: Send + Sync {
    /// A new netlink socket of process `pid` (its thread-group id: the first port id that
    /// autobind tries), created by thread `tid` (the socket is in that thread's network
    /// namespace; `None`: `pid`'s). The fd may be blocking or not; the supervisor sets the
    /// mode.
    fn connect(&self, pid: u32, tid: Option<u32>) -> io::Result<DataConn>;
    /// A simulator served on the supervisor's thread (the embedded one) instead of its own:
    /// an fd that is readable whenever it has work, for the supervisor to poll. `None`, the
    /// default: the simulator runs by itself (a thread, a daemon) and [`Backend::serve`] is
    /// never called.
    fn work_fd(&self) -> Option<RawFd> {
        None
    }
    /// Does the simulator's ready work without waiting (reads requests, writes replies).
    /// Returns the milliseconds until it must run again even if `work_fd` stays quiet (its
    /// next timer), -1 for none. Called when `work_fd` is readable, and before a receive on a
    /// simulator socket waits: the reply is then there without a hand-off between threads.
    fn serve(&self) -> i32 {
        -1
    }
    /// `bind(sockaddr_nl{portid, groups})`; portid 0 autobinds. Returns the bound port id.
    fn bind(&self, conn: u64, portid: u32, groups: u32) -> Result<u32, Errno>;
    /// `getsockname`: (port id, first 32 groups); port id 0 while unbound.
    fn get_name(&self, conn: u64) -> Result<(u32, u32), Errno>;
    /// `setsockopt(SOL_NETLINK, opt, &val)`.
    fn set_sockopt(&self, conn: u64, opt: i32, val: u32) -> Result<(), Errno>;
    /// `getsockopt(SOL_NETLINK, opt)`.
    fn get_sockopt(&self, conn: u64, opt: i32) -> Result<u32, Errno>;
    /// The largest buffer the socket's reader passed to `recvmsg` so far
    /// (`nlk->max_recvmsg_len`, which sizes dump datagrams). Optional for a simulator.
    fn set_recv_len(&self, _conn: u64, _len: u32) -> Result<(), Errno> {
        Ok(())
    }
    /// `setsockopt(SOL_SOCKET, SO_RCVBUF / SO_RCVBUFFORCE)` applied: `bytes` is the new
    /// `sk_rcvbuf` (the supervisor applied the option to the unix socket, whose rule is the
    /// netlink socket's, and read it back). Optional for a simulator.
    fn set_rcvbuf(&self, _conn: u64, _bytes: u32) -> Result<(), Errno> {
        Ok(())
    }
    /// The socket's pending error (`sk_err`), taken: a receive fails with it before it
    /// looks at the queue (`sock_error` in `__skb_try_recv_datagram`). A simulator that
    /// sends in-band markers instead (`crate::inband`) answers `None`, the default.
    fn take_error(&self, _conn: u64) -> Option<Errno> {
        None
    }
    /// Whether some socket has an error to take ([`Backend::take_error`] would answer one
    /// for it). The receive fast path is only offered while none has. Optional.
    fn errors_pending(&self) -> bool {
        false
    }
    /// `open("/dev/net/tun")`: a new tun file. The default is a kernel without tun (ENODEV).
    /// `tid`: the opening thread (the file belongs to its namespace).
    fn tun_open(&self, _tid: u32) -> Result<u64, Errno> {
        Err(Errno(libc::ENODEV))
    }
    /// A tun ioctl on `file`; TUNSETIFF and TUNGETIFF answer the ifreq to copy back.
    fn tun_ioctl(&self, _file: u64, _op: TunIoctl) -> Result<Option<Ifreq>, Errno> {
        Err(Errno(libc::EBADFD))
    }
    /// The target's last copy of `file` was closed.
    fn tun_close(&self, _file: u64) {}
    /// `/sys/class/net/<dev>/<attr>`'s content as thread `tid` sees it (its namespace's).
    fn sysfs_read(&self, _dev: &str, _attr: &str, _tid: u32) -> Result<String, SysfsError> {
        Err(SysfsError {
            errno: Errno(libc::ENOENT),
            msg: None,
        })
    }
    /// A `/proc/sys/net` operation (`crate::sysctl`) in namespace `netns` (the simulator's
    /// id; `None`: thread `tid`'s). The default is a simulator without sysctls: every path
    /// is not modelled.
    fn sysctl(
        &self,
        req: SysctlRequest,
        _tid: u32,
        _netns: Option<u32>,
    ) -> Result<SysctlAnswer, SysfsError> {
        let path = match &req {
            SysctlRequest::Stat { path }
            | SysctlRequest::List { path }
            | SysctlRequest::Read { path }
            | SysctlRequest::OpenWrite { path }
            | SysctlRequest::Write { path, .. } => path,
        };
        Err(SysfsError {
            errno: Errno(libc::EOPNOTSUPP),
            msg: Some(format!("nlsim: /proc/sys/net/{path} not modelled")),
        })
    }
    /// A network namespace operation (`crate::netns`). The default is a simulator without
    /// namespaces: ENOSYS, and the launcher refuses the call as before.
    fn netns(&self, _op: NetnsRequest) -> Result<NetnsAnswer, Errno> {
        Err(Errno(libc::ENOSYS))
    }
    /// `/proc/net/<file>` (`if_inet6`, `route`, `ipv6_route`, `arp`) as thread `tid` sees
    /// it (its namespace's). The default is a simulator without those files: refused.
    fn proc_net_read(&self, file: &str, _tid: u32) -> Result<String, SysfsError> {
        Err(SysfsError {
            errno: Errno(libc::EOPNOTSUPP),
            msg: Some(format!("nlsim: /proc/net/{file} not modelled")),
        })
    }
    /// SIOCADDMULTI / SIOCDELMULTI (`dev_ifsioc`) for thread `tid` (its namespace): the
    /// ifreq's device name, and the family and bytes of its `ifr_hwaddr`. The default is a
    /// simulator without them: refused.
    fn dev_mc_ioctl(
        &self,
        _tid: u32,
        _cmd: u32,
        _name: String,
        _family: u16,
        _data: Vec<u8>,
    ) -> Result<(), SysfsError> {
        Err(SysfsError {
            errno: Errno(libc::EOPNOTSUPP),
            msg: Some("nlsim: SIOCADDMULTI/SIOCDELMULTI not modelled by this simulator".into()),
        })
    }
    /// `devinet_ioctl` (net/ipv4/devinet.c) for thread `tid` (its namespace): request `cmd`
    /// with the ifreq's name and address; a GET answers the address to copy back. The
    /// default is a simulator without IPv4 addresses: refused.
    fn devinet_ioctl(
        &self,
        _tid: u32,
        _cmd: u32,
        _ifr: InetIfreq,
    ) -> Result<Option<Ipv4Addr>, SysfsError> {
        Err(SysfsError {
            errno: Errno(libc::EOPNOTSUPP),
            msg: Some("nlsim: IPv4 address ioctls not modelled by this simulator".into()),
        })
    }
}
