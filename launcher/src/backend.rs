//! What the supervisor needs from a simulator: data connections and the per-socket control
//! operations. `nlsim run` implements it for an embedded simulator and for a daemon.

use crate::error::Errno;
use std::io;
use std::os::fd::OwnedFd;

/// One data connection: a connected `AF_UNIX` `SOCK_SEQPACKET` fd that carries raw netlink,
/// and the simulator's id for it (used by the control operations).
pub struct DataConn {
    pub fd: OwnedFd,
    pub id: u64,
}

/// A simulator as seen by the supervisor. All methods are called from the supervisor thread
/// and must answer promptly (the target's system call waits on them).
pub trait Backend: Send + Sync {
    /// A new netlink socket of process `pid` (its thread-group id: the first port id that
    /// autobind tries). The fd may be blocking or not; the supervisor sets the mode.
    fn connect(&self, pid: u32) -> io::Result<DataConn>;
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
}
