//! The socket ioctl numbers (include/uapi/linux/sockios.h, include/uapi/linux/wireless.h) and
//! what the launcher does with each: answered from the model, run natively (they only read
//! the socket itself), or refused.
//!
//! The filter sends every request of 0x8900..=0x89ff and 0x8b00..=0x8bff here (default deny):
//! a request the kernel would answer from the host's network state must never reach it.

use crate::filter::sioc;

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Policy {
    /// Answered from the simulator (`ifioctl.rs`).
    Emulated,
    /// Runs natively: it reads the socket's own state (owner, timestamps, queues).
    SocketLocal,
    /// Refused with EOPNOTSUPP and one `nlsim:` line.
    Refused,
}

/// sock_ioctl / sock_do_ioctl: the requests answered by the socket layer itself, not by
/// dev_ioctl or a protocol's table (FIOSETOWN..SIOCGSTAMPNS_OLD, and SIOCOUTQNSD, which
/// tcp_ioctl answers from the socket's send queue).
const SOCKET_LOCAL: [u32; 8] = [
    0x8901, 0x8902, 0x8903, 0x8904, 0x8905, 0x8906, 0x8907, 0x894b,
];

pub(crate) fn policy(req: u32) -> Policy {
    if sioc::ALL.contains(&req) {
        Policy::Emulated
    } else if SOCKET_LOCAL.contains(&req) {
        Policy::SocketLocal
    } else {
        Policy::Refused
    }
}

/// The request's name as the headers spell it (for the refusal line).
pub(crate) fn name(req: u32) -> &'static str {
    match req {
        0x8901 => "FIOSETOWN",
        0x8902 => "SIOCSPGRP",
        0x8903 => "FIOGETOWN",
        0x8904 => "SIOCGPGRP",
        0x8905 => "SIOCATMARK",
        0x8906 => "SIOCGSTAMP",
        0x8907 => "SIOCGSTAMPNS",
        0x890b => "SIOCADDRT",
        0x890c => "SIOCDELRT",
        0x890d => "SIOCRTMSG",
        0x8910 => "SIOCGIFNAME",
        0x8911 => "SIOCSIFLINK",
        0x8912 => "SIOCGIFCONF",
        0x8913 => "SIOCGIFFLAGS",
        0x8914 => "SIOCSIFFLAGS",
        0x8915 => "SIOCGIFADDR",
        0x8916 => "SIOCSIFADDR",
        0x8917 => "SIOCGIFDSTADDR",
        0x8918 => "SIOCSIFDSTADDR",
        0x8919 => "SIOCGIFBRDADDR",
        0x891a => "SIOCSIFBRDADDR",
        0x891b => "SIOCGIFNETMASK",
        0x891c => "SIOCSIFNETMASK",
        0x891d => "SIOCGIFMETRIC",
        0x891e => "SIOCSIFMETRIC",
        0x891f => "SIOCGIFMEM",
        0x8920 => "SIOCSIFMEM",
        0x8921 => "SIOCGIFMTU",
        0x8922 => "SIOCSIFMTU",
        0x8923 => "SIOCSIFNAME",
        0x8924 => "SIOCSIFHWADDR",
        0x8925 => "SIOCGIFENCAP",
        0x8926 => "SIOCSIFENCAP",
        0x8927 => "SIOCGIFHWADDR",
        0x8929 => "SIOCGIFSLAVE",
        0x8930 => "SIOCSIFSLAVE",
        0x8931 => "SIOCADDMULTI",
        0x8932 => "SIOCDELMULTI",
        0x8933 => "SIOCGIFINDEX",
        0x8934 => "SIOCSIFPFLAGS",
        0x8935 => "SIOCGIFPFLAGS",
        0x8936 => "SIOCDIFADDR",
        0x8937 => "SIOCSIFHWBROADCAST",
        0x8938 => "SIOCGIFCOUNT",
        0x8940 => "SIOCGIFBR",
        0x8941 => "SIOCSIFBR",
        0x8942 => "SIOCGIFTXQLEN",
        0x8943 => "SIOCSIFTXQLEN",
        0x8946 => "SIOCETHTOOL",
        0x8947 => "SIOCGMIIPHY",
        0x8948 => "SIOCGMIIREG",
        0x8949 => "SIOCSMIIREG",
        0x894a => "SIOCWANDEV",
        0x894b => "SIOCOUTQNSD",
        0x894c => "SIOCGSKNS",
        0x8953 => "SIOCDARP",
        0x8954 => "SIOCGARP",
        0x8955 => "SIOCSARP",
        0x8960 => "SIOCDRARP",
        0x8961 => "SIOCGRARP",
        0x8962 => "SIOCSRARP",
        0x8970 => "SIOCGIFMAP",
        0x8971 => "SIOCSIFMAP",
        0x8980 => "SIOCADDDLCI",
        0x8981 => "SIOCDELDLCI",
        0x8982 => "SIOCGIFVLAN",
        0x8983 => "SIOCSIFVLAN",
        0x8990 => "SIOCBONDENSLAVE",
        0x8991 => "SIOCBONDRELEASE",
        0x8992 => "SIOCBONDSETHWADDR",
        0x8993 => "SIOCBONDSLAVEINFOQUERY",
        0x8994 => "SIOCBONDINFOQUERY",
        0x8995 => "SIOCBONDCHANGEACTIVE",
        0x89a0 => "SIOCBRADDBR",
        0x89a1 => "SIOCBRDELBR",
        0x89a2 => "SIOCBRADDIF",
        0x89a3 => "SIOCBRDELIF",
        0x89b0 => "SIOCSHWTSTAMP",
        0x89b1 => "SIOCGHWTSTAMP",
        // The tunnel drivers' names for the first SIOCDEVPRIVATE numbers (if_tunnel.h).
        0x89f0 => "SIOCGETTUNNEL (SIOCDEVPRIVATE)",
        0x89f1 => "SIOCADDTUNNEL (SIOCDEVPRIVATE+1)",
        0x89f2 => "SIOCDELTUNNEL (SIOCDEVPRIVATE+2)",
        0x89f3 => "SIOCCHGTUNNEL (SIOCDEVPRIVATE+3)",
        0x89f4..=0x89ff => "SIOCDEVPRIVATE",
        0x89e0..=0x89ef => "SIOCPROTOPRIVATE",
        0x8b00..=0x8bff => "wireless extension (SIOCxIW)",
        _ => "socket ioctl",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies() {
        assert_eq!(policy(0x8913), Policy::Emulated);
        assert_eq!(policy(0x8901), Policy::SocketLocal);
        assert_eq!(policy(0x894b), Policy::SocketLocal);
        assert_eq!(policy(0x8916), Policy::Emulated);
        assert_eq!(policy(0x8915), Policy::Emulated);
        for refused in [0x890b, 0x8955, 0x89f1, 0x894c, 0x8946, 0x8b01] {
            assert_eq!(policy(refused), Policy::Refused, "{refused:#x}");
        }
        assert_eq!(name(0x8916), "SIOCSIFADDR");
        assert_eq!(name(0x89f1), "SIOCADDTUNNEL (SIOCDEVPRIVATE+1)");
    }
}
