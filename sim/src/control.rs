//! The connection-level control protocol: everything a netlink socket has that is not netlink
//! bytes (its port id, groups and socket options), plus requests about the simulator itself.
//!
//! # Protocol
//!
//! nlsim listens on an `AF_UNIX` `SOCK_SEQPACKET` socket. Every connection starts with one
//! datagram, a JSON [`Hello`]:
//!
//! - `{"role":"data","pid":1234}`: the connection becomes one netlink socket of process 1234.
//!   The server answers one JSON datagram `{"conn":7}` (the connection id) and from then on
//!   the connection carries raw netlink: requests in, replies and notifications out, one
//!   netlink datagram per SEQPACKET datagram. The creator reads the `{"conn":..}` datagram
//!   before it hands the fd to a client, so clients only ever see netlink.
//!   With `"inband_errors":true` (what `nlsim run --connect` asks for), a socket error
//!   (ENOBUFS after the simulator dropped datagrams the socket's receive buffer could not
//!   take) arrives as a 12-byte datagram, `nlsim_launcher::inband`, which no netlink
//!   datagram can be (they start with a 16-byte header); the supervisor turns it into the
//!   failed receive. Without it, the error waits for [`ControlRequest::TakeError`].
//! - `{"role":"control"}`: the connection carries [`ControlRequest`]s, one JSON datagram each,
//!   answered by one [`ControlReply`] datagram each, in order. A launcher (or `nlsim run`)
//!   keeps one control connection and names data connections by their id.
//!
//! A reply larger than [`CONTROL_CHUNK`] bytes (a state dump of thousands of devices; one
//! datagram is limited by the socket's send buffer, about 208 KB) is sent as several
//! datagrams: every one but the last starts with the byte [`CONTINUED`] (`+`, which no JSON
//! document starts with), followed by the next piece of the reply's JSON; the last one
//! carries the rest unmarked. A reply that fits one datagram is unchanged.
//! [`frame_reply`] splits, [`ReplyAssembler`] joins.
//!
//! Data never flows on a control connection and control never on a data connection, so a
//! client cannot forge control requests. The in-process API ([`crate::Sim`]) uses the same
//! requests through a channel instead of a socket.

use kernel_model::inet::devinet_ioctl::InetIfreq;
use kernel_model::kinds::tun::TunCred;
/// What the launcher asks about network namespaces (the system calls of `ip netns` and other
/// namespace users): one type, owned by the launcher, which sends it through
/// [`nlsim_launcher::Backend::netns`]; it travels here as [`ControlRequest::Netns`]. Answers:
/// [`ControlReply::Value`] with a namespace id (`Unshare`, `OfTask`),
/// [`ControlReply::NetnsEntry`] (`Lookup`), [`ControlReply::Names`] (`List`), else
/// [`ControlReply::Ok`]; a failure is [`ControlReply::Err`].
pub use nlsim_launcher::NetnsRequest;
/// `/proc/sys/net` operations, also owned by the launcher ([`nlsim_launcher::Backend::sysctl`]).
pub use nlsim_launcher::{SysctlAnswer, SysctlEntry, SysctlRequest};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Hello {
    /// `tid`: the thread that called `socket()`; the socket is created in its network
    /// namespace (`sock_create` uses `current->nsproxy->net_ns`). Absent: `pid`'s.
    Data {
        pid: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tid: Option<u32>,
        /// The connection serves a supervisor (`nlsim run`): a pending socket error
        /// (ENOBUFS after an overrun) arrives as an `nlsim_launcher::inband` marker, which the
        /// supervisor turns into the failed receive. Other clients never get markers; they
        /// read the error with [`ControlRequest::TakeError`].
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        inband_errors: bool,
    },
    Control,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelloReply {
    pub conn: u64,
}

/// `SOL_NETLINK` socket options the simulator honours (include/uapi/linux/netlink.h).
pub mod sockopt {
    pub const NETLINK_ADD_MEMBERSHIP: i32 = 1;
    pub const NETLINK_DROP_MEMBERSHIP: i32 = 2;
    pub const NETLINK_PKTINFO: i32 = 3;
    pub const NETLINK_BROADCAST_ERROR: i32 = 4;
    pub const NETLINK_NO_ENOBUFS: i32 = 5;
    pub const NETLINK_LISTEN_ALL_NSID: i32 = 8;
    pub const NETLINK_CAP_ACK: i32 = 10;
    pub const NETLINK_EXT_ACK: i32 = 11;
    pub const NETLINK_GET_STRICT_CHK: i32 = 12;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ControlRequest {
    /// `bind(sockaddr_nl{nl_pid, nl_groups})`; `portid` 0 autobinds like `netlink_autobind`.
    Bind { conn: u64, portid: u32, groups: u32 },
    /// `getsockname`: the port id (0 while unbound) and the first 32 groups.
    GetName { conn: u64 },
    /// `setsockopt(SOL_NETLINK, opt, &val)`.
    SetSockOpt { conn: u64, opt: i32, val: u32 },
    /// `getsockopt(SOL_NETLINK, opt)`.
    GetSockOpt { conn: u64, opt: i32 },
    /// The size of the buffer the client passed to `recvmsg` (the kernel sizes dump datagrams
    /// from the largest one seen, `nlk->max_recvmsg_len`).
    RecvLen { conn: u64, len: u32 },
    /// `setsockopt(SOL_SOCKET, SO_RCVBUF or SO_RCVBUFFORCE)`: `bytes` is the resulting
    /// `sk_rcvbuf`. The caller applies the option to its own end of the connection first:
    /// a unix socket follows the same rule (`__sock_set_rcvbuf`: doubled, at least
    /// SOCK_MIN_RCVBUF, capped by rmem_max unless forced with CAP_NET_ADMIN), so the value
    /// it reads back is the kernel's.
    SetRcvBuf { conn: u64, bytes: u32 },
    /// `getsockopt(SOL_SOCKET, SO_ERROR)` (`sock_error`): the pending `sk_err`, 0 if none,
    /// answered as [`ControlReply::Value`] and cleared.
    TakeError { conn: u64 },
    /// The socket's receive buffer: [`ControlReply::RecvBuf`].
    RecvBufStats { conn: u64 },
    /// `echo "ID PORTS" > /sys/bus/netdevsim/new_device`.
    NetdevsimNewDevice { id: u32, ports: u32 },
    /// The model's state as JSON (what `nlsim dump` prints).
    DumpState,
    /// `Kernel::check_invariants`: Ok, or EUCLEAN with the first violation (a model bug).
    CheckInvariants,
    /// `open("/dev/net/tun")` (`tun_chr_open`): a new tun file in the initial namespace,
    /// answered with [`ControlReply::TunFile`]. The launcher names the file by that id in the
    /// requests below and sends [`ControlRequest::TunClose`] when the target's last copy of
    /// the file is closed.
    TunOpen {
        /// The opening thread: the file belongs to its namespace (`tun_chr_open`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tid: Option<u32>,
    },
    /// TUNSETIFF: `name` is `ifr_name`, `flags` `ifr_flags`, `cred` the caller's credentials.
    /// Answered with [`ControlReply::Ifreq`] (what the ioctl copies back).
    TunSetIff {
        file: u64,
        name: String,
        flags: u32,
        cred: TunCred,
    },
    /// TUNGETIFF, answered with [`ControlReply::Ifreq`].
    TunGetIff { file: u64 },
    /// TUNSETPERSIST.
    TunSetPersist { file: u64, on: bool },
    /// TUNSETOWNER.
    TunSetOwner { file: u64, uid: u32 },
    /// TUNSETGROUP.
    TunSetGroup { file: u64, gid: u32 },
    /// The file was closed (`tun_chr_close`): detach, and delete a device that is not
    /// persistent once its last queue is gone.
    TunClose { file: u64 },
    /// Read `/sys/class/net/<dev>/<attr>`: answered with [`ControlReply::Text`], ENOENT for a
    /// device that does not exist, ENOENT with an `nlsim: ... not modelled` message for an
    /// attribute the model does not produce.
    SysfsRead {
        dev: String,
        attr: String,
        /// The reading thread: sysfs shows the devices of its namespace.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tid: Option<u32>,
    },
    /// A network namespace operation the launcher emulates for a target ([`NetnsRequest`]).
    Netns { req: NetnsRequest },
    /// Read `/proc/net/<file>` (`if_inet6`, `route`, `ipv6_route`, `arp`): answered with
    /// [`ControlReply::Text`]; any other file is EOPNOTSUPP with an `nlsim:` message.
    ProcNetRead {
        file: String,
        /// The reading thread: the file shows its namespace.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tid: Option<u32>,
    },
    /// An AF_INET socket's address ioctl (`devinet_ioctl`, net/ipv4/devinet.c): `cmd` is the
    /// request number (SIOCGIFADDR...SIOCSIFNETMASK, SIOCSIFFLAGS). A GET is answered with
    /// [`ControlReply::Value`] (the address, `u32::from(Ipv4Addr)`), a SET with
    /// [`ControlReply::Ok`] after its notifications went out.
    DevinetIoctl {
        cmd: u32,
        ifr: InetIfreq,
        /// The calling thread: the ioctl acts in its namespace.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tid: Option<u32>,
    },
    /// SIOCADDMULTI / SIOCDELMULTI (`dev_ifsioc`, net/core/dev_ioctl.c): `cmd` is the request
    /// number, `name` the ifreq's device, `family` and `data` its `ifr_hwaddr`; answered with
    /// [`ControlReply::Ok`] or [`ControlReply::Err`].
    DevMcIoctl {
        cmd: u32,
        name: String,
        family: u16,
        data: Vec<u8>,
        /// The calling thread: the ioctl acts in its namespace.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tid: Option<u32>,
    },
    /// A `/proc/sys/net` operation ([`SysctlRequest`]) in namespace `netns` (absent, or gone:
    /// thread `tid`'s), answered with [`ControlReply::Sysctl`] or [`ControlReply::Err`].
    Sysctl {
        req: SysctlRequest,
        tid: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        netns: Option<u32>,
    },
    /// The simulator's clock: answered with [`ControlReply::Clock`].
    ClockShow,
    /// Moves the simulator's clock `nanos` forward, firing the timers that fall due in order
    /// (their notifications go out first); answered with [`ControlReply::Clock`] after it. With
    /// [`ClockMode::Real`] time jumps forward and keeps following the host from there.
    ClockAdvance { nanos: u64 },
}

/// How the simulator's clock moves (`nlsim ... --clock real|manual`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ClockMode {
    /// The model's time follows the host's monotonic clock from the simulator's start, as the
    /// kernel's does: timers fire on time without any request.
    #[default]
    Real,
    /// Time moves only by an explicit advance ([`ControlRequest::ClockAdvance`]): two runs
    /// give the same bytes.
    Manual,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlReply {
    Ok,
    Name {
        portid: u32,
        groups: u32,
    },
    Value {
        val: u32,
    },
    State {
        state: serde_json::Value,
    },
    /// The entries of `/run/netns`.
    Names {
        names: Vec<String>,
    },
    /// An entry of `/run/netns`: the namespace mounted on it, none for a plain file.
    NetnsEntry {
        netns: Option<u32>,
    },
    /// A tun file's id.
    TunFile {
        file: u64,
    },
    /// A `struct ifreq` (TUNSETIFF / TUNGETIFF).
    Ifreq {
        name: String,
        flags: u32,
    },
    /// A sysctl operation's answer.
    Sysctl {
        answer: SysctlAnswer,
    },
    /// A file's content.
    Text {
        text: String,
    },
    /// A socket's receive buffer (`sk_rcvbuf`, `sk_rmem_alloc`, `sk_drops`, CONGESTED) and
    /// the server's backlog for it (datagrams not yet handed to the connection).
    RecvBuf {
        rcvbuf: u32,
        rmem_alloc: u64,
        drops: u64,
        congested: bool,
        backlog_bytes: u64,
        backlog_datagrams: u64,
    },
    /// The simulator's clock: the model's time and its earliest pending timer, in nanoseconds
    /// since the simulated boot, and how many timers are pending.
    Clock {
        now: u64,
        mode: ClockMode,
        next_timer: Option<u64>,
        timers: usize,
    },
    /// A positive errno, as the syscall would have failed.
    Err {
        errno: i32,
        msg: Option<String>,
    },
}

/// The largest piece of a control reply one datagram carries (see the protocol above).
pub const CONTROL_CHUNK: usize = 64 * 1024;

/// Marks a datagram that is not the last of its reply.
pub const CONTINUED: u8 = b'+';

/// One reply's datagrams: the JSON itself if it fits [`CONTROL_CHUNK`], else pieces of it,
/// all but the last prefixed with [`CONTINUED`].
pub fn frame_reply(json: Vec<u8>) -> Vec<Vec<u8>> {
    if json.len() <= CONTROL_CHUNK {
        return vec![json];
    }
    let mut parts: Vec<Vec<u8>> = json
        .chunks(CONTROL_CHUNK)
        .map(|c| {
            let mut d = Vec::with_capacity(c.len() + 1);
            d.push(CONTINUED);
            d.extend_from_slice(c);
            d
        })
        .collect();
    if let Some(last) = parts.last_mut() {
        last.remove(0);
    }
    parts
}

/// Joins the datagrams of one reply, in order.
#[derive(Debug, Default)]
pub struct ReplyAssembler {
    buf: Vec<u8>,
}

impl ReplyAssembler {
    /// Feeds one datagram; the whole reply once its last datagram has arrived.
    pub fn push(&mut self, datagram: &[u8]) -> Option<Vec<u8>> {
        match datagram.split_first() {
            Some((&CONTINUED, piece)) => {
                self.buf.extend_from_slice(piece);
                None
            }
            _ => {
                self.buf.extend_from_slice(datagram);
                Some(std::mem::take(&mut self.buf))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netns_request_keeps_its_wire_format() {
        let req = ControlRequest::Netns {
            req: NetnsRequest::Mount {
                name: "a".into(),
                netns: 2,
            },
        };
        let json = r#"{"op":"netns","req":{"call":"mount","name":"a","netns":2}}"#;
        assert_eq!(serde_json::to_string(&req).ok().as_deref(), Some(json));
        assert_eq!(serde_json::from_str::<ControlRequest>(json).ok(), Some(req));
    }

    #[test]
    fn small_reply_is_one_unmarked_datagram() {
        let json = br#"{"ok":1}"#.to_vec();
        assert_eq!(frame_reply(json.clone()), vec![json]);
    }

    #[test]
    fn large_reply_round_trips_in_pieces() {
        let json: Vec<u8> = (0..3 * CONTROL_CHUNK + 17)
            .map(|i| b'a' + (i % 26) as u8)
            .collect();
        let parts = frame_reply(json.clone());
        assert_eq!(parts.len(), 4);
        assert!(parts[..3]
            .iter()
            .all(|p| p[0] == CONTINUED && p.len() == CONTROL_CHUNK + 1));
        assert_eq!(parts[3].len(), 17);
        let mut a = ReplyAssembler::default();
        let mut whole = None;
        for p in &parts {
            assert!(whole.is_none(), "a reply completed early");
            whole = a.push(p);
        }
        assert_eq!(whole, Some(json));
    }
}
