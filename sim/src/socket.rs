//! Per-socket netlink state (`struct netlink_sock`): port id, multicast groups and the socket
//! options that change what the kernel sends.

use crate::rtnl::ctx::SockCtx;
use crate::wire::ack::SockAckFlags;
use kernel_model::NetnsId;

#[derive(Debug, Clone)]
pub struct NlSock {
    /// Thread-group id of the process that created the socket (autobind tries it first).
    pub pid: u32,
    /// `nlk->portid`; 0 until bound.
    pub portid: u32,
    pub bound: bool,
    /// Joined multicast groups, bit `g - 1` for group `g` (RTNLGRP_* up to 64).
    pub groups: u64,
    pub ext_ack: bool,
    pub cap_ack: bool,
    pub strict_chk: bool,
    pub no_enobufs: bool,
    pub listen_all_nsid: bool,
    pub pktinfo: bool,
    pub broadcast_error: bool,
    /// `nlk->max_recvmsg_len`: the largest receive buffer the client used.
    pub max_recvmsg_len: usize,
    pub netns: NetnsId,
}

impl NlSock {
    pub fn new(pid: u32, netns: NetnsId) -> Self {
        NlSock {
            pid,
            portid: 0,
            bound: false,
            groups: 0,
            ext_ack: false,
            cap_ack: false,
            strict_chk: false,
            no_enobufs: false,
            listen_all_nsid: false,
            pktinfo: false,
            broadcast_error: false,
            max_recvmsg_len: 0,
            netns,
        }
    }

    pub fn ctx(&self) -> SockCtx {
        SockCtx {
            portid: self.portid,
            ack: SockAckFlags {
                ext_ack: self.ext_ack,
                cap_ack: self.cap_ack,
            },
            strict_chk: self.strict_chk,
            netns: self.netns,
            pid: self.pid,
            max_recvmsg_len: self.max_recvmsg_len,
        }
    }

    pub fn in_group(&self, group: u32) -> bool {
        (1..=64).contains(&group) && self.groups & (1u64 << (group - 1)) != 0
    }
}
