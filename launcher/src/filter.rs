//! The seccomp BPF program: which system calls of the target go to the supervisor.
//!
//! BPF cannot tell a simulated netlink fd from any other fd, so every socket call that may
//! touch one is sent to the supervisor, which answers or CONTINUEs it. `socket()` is only sent
//! for `AF_NETLINK`, and `ioctl()` only for socket and wireless ioctls (0x89xx, 0x8bxx) and
//! the tun range, because those two are common on unrelated fds and can be decided from
//! their arguments alone. io_uring is refused outright (ENOSYS): its requests run in the
//! kernel without passing the filter.

use libc::{sock_filter, sock_fprog};

#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH_NATIVE: u32 = 0xc000_003e;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH_NATIVE: u32 = 0xc000_00b7;
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!("nlsim-launcher knows the audit arch of x86_64 and aarch64 only");

/// x32 system calls on x86_64 carry this bit in `nr`.
#[cfg(target_arch = "x86_64")]
const X32_SYSCALL_BIT: u32 = 0x4000_0000;

// Offsets into `struct seccomp_data`; args are u64, and on little-endian arches the low half
// (what the kernel uses for int arguments) comes first.
const OFF_NR: u32 = 0;
const OFF_ARCH: u32 = 4;
/// `instruction_pointer` (u64, low half first).
const OFF_IP: u32 = 8;
const fn off_arg_lo(i: u32) -> u32 {
    16 + 8 * i
}

pub(crate) const AF_NETLINK: u32 = libc::AF_NETLINK as u32;
/// Packet sockets reach the host's devices (bind by ifindex, PACKET_MR_PROMISC): refused.
pub(crate) const AF_PACKET: u32 = libc::AF_PACKET as u32;

/// Interface ioctls answered from the simulator (linux/sockios.h).
pub(crate) mod sioc {
    pub const SIOCGIFNAME: u32 = 0x8910;
    pub const SIOCGIFCONF: u32 = 0x8912;
    pub const SIOCGIFFLAGS: u32 = 0x8913;
    pub const SIOCSIFFLAGS: u32 = 0x8914;
    pub const SIOCGIFMTU: u32 = 0x8921;
    pub const SIOCSIFMTU: u32 = 0x8922;
    pub const SIOCGIFHWADDR: u32 = 0x8927;
    pub const SIOCGIFINDEX: u32 = 0x8933;
    pub const SIOCGIFTXQLEN: u32 = 0x8942;
    pub const SIOCGIFMETRIC: u32 = 0x891d;
    pub const SIOCGIFMAP: u32 = 0x8970;
    /// `ip maddr add/del` (`dev_ifsioc`: `dev_mc_add_global` / `dev_mc_del_global`).
    pub const SIOCADDMULTI: u32 = 0x8931;
    pub const SIOCDELMULTI: u32 = 0x8932;
    /// The address ioctls of an AF_INET socket (`devinet_ioctl`).
    pub const SIOCGIFADDR: u32 = 0x8915;
    pub const SIOCSIFADDR: u32 = 0x8916;
    pub const SIOCGIFDSTADDR: u32 = 0x8917;
    pub const SIOCSIFDSTADDR: u32 = 0x8918;
    pub const SIOCGIFBRDADDR: u32 = 0x8919;
    pub const SIOCSIFBRDADDR: u32 = 0x891a;
    pub const SIOCGIFNETMASK: u32 = 0x891b;
    pub const SIOCSIFNETMASK: u32 = 0x891c;
    pub const DEVINET: [u32; 8] = [
        SIOCGIFADDR,
        SIOCSIFADDR,
        SIOCGIFDSTADDR,
        SIOCSIFDSTADDR,
        SIOCGIFBRDADDR,
        SIOCSIFBRDADDR,
        SIOCGIFNETMASK,
        SIOCSIFNETMASK,
    ];
    pub const ALL: [u32; 21] = [
        SIOCGIFNAME,
        SIOCGIFCONF,
        SIOCGIFFLAGS,
        SIOCSIFFLAGS,
        SIOCGIFMTU,
        SIOCSIFMTU,
        SIOCGIFHWADDR,
        SIOCGIFINDEX,
        SIOCGIFTXQLEN,
        SIOCGIFMETRIC,
        SIOCGIFMAP,
        SIOCADDMULTI,
        SIOCDELMULTI,
        SIOCGIFADDR,
        SIOCSIFADDR,
        SIOCGIFDSTADDR,
        SIOCSIFDSTADDR,
        SIOCGIFBRDADDR,
        SIOCSIFBRDADDR,
        SIOCGIFNETMASK,
        SIOCSIFNETMASK,
    ];
}

/// The tun ioctls (include/uapi/linux/if_tun.h): type 'T', numbers 200..=227. They are all
/// sent to the supervisor (the low 16 bits, type and number, are compared: TCGETS and the
/// other terminal ioctls share type 'T' with numbers below 200). On a `/dev/net/tun` stand-in
/// they are emulated; on any other fd TUNSETIFF is refused (it would create a real device when
/// the target runs as root) and the rest run natively.
pub(crate) mod tun_ioctl {
    pub const FIRST: u32 = 0x54c8;
    pub const LAST: u32 = 0x54e3;
    pub const TUNSETIFF: u32 = 0x4004_54ca;
    pub const TUNSETPERSIST: u32 = 0x4004_54cb;
    pub const TUNSETOWNER: u32 = 0x4004_54cc;
    pub const TUNSETGROUP: u32 = 0x4004_54ce;
    pub const TUNGETFEATURES: u32 = 0x8004_54cf;
    pub const TUNGETIFF: u32 = 0x8004_54d2;
}

/// The socket ioctl ranges (include/uapi/linux/sockios.h, include/uapi/linux/wireless.h).
pub(crate) mod sockios {
    /// FIOSETOWN..=SIOCGSTAMPNS_OLD: socket-local, allowed natively.
    pub const LOCAL_FIRST: u32 = 0x8901;
    pub const LOCAL_LAST: u32 = 0x8907;
    pub const FIRST: u32 = 0x8900;
    pub const LAST: u32 = 0x89ff;
    /// SIOCIWFIRST..=SIOCIWLASTPRIV (wireless extensions) and the wireless events after them.
    pub const WIRELESS_FIRST: u32 = 0x8b00;
    pub const WIRELESS_LAST: u32 = 0x8bff;
}

/// Refused with ENOSYS in the filter itself: io_uring's system calls (its requests run
/// without passing the filter), and the new mount API's entry points (a sysfs or proc made
/// with fsopen/fsmount, or a tree of /sys cloned with open_tree, would show the host's devices
/// where the launcher does not look; mount(2) is judged instead, and mount(8) falls back to
/// it on ENOSYS).
const ENOSYS_CALLS: [libc::c_long; 5] = [
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_fsopen,
    libc::SYS_open_tree,
];

/// Socket calls sent to the supervisor whatever their arguments.
///
/// Not sendto/sendmsg/write: sending runs natively on the unix socket (it ignores the
/// destination address) and the simulator autobinds on the first datagram, as
/// netlink_sendmsg does. The one observable difference, a getsockname racing the
/// simulator's read of that datagram, is closed in the getsockname emulation. Not trapping
/// sends keeps every other socket's sends (TCP, UDP) at native speed.
pub(crate) const SOCKET_CALLS: [libc::c_long; 8] = [
    libc::SYS_bind,
    libc::SYS_connect,
    libc::SYS_getsockname,
    libc::SYS_getpeername,
    libc::SYS_getsockopt,
    libc::SYS_setsockopt,
    libc::SYS_recvfrom,
    libc::SYS_recvmsg,
];

/// The write calls sent to the supervisor when their fd is a sysctl write stand-in's number.
pub(crate) const WRITE_CALLS: [libc::c_long; 5] = [
    libc::SYS_write,
    libc::SYS_pwrite64,
    libc::SYS_writev,
    libc::SYS_pwritev,
    libc::SYS_pwritev2,
];

#[derive(Clone, Copy)]
enum Target {
    Next,
    Label(usize),
}

enum Insn {
    Stmt(u16, u32),
    Jump(u16, u32, Target, Target),
}

/// A tiny assembler so jump offsets are computed, not hand-counted.
struct Asm {
    insns: Vec<Insn>,
    labels: Vec<Option<usize>>,
}

impl Asm {
    fn label(&mut self) -> usize {
        self.labels.push(None);
        self.labels.len() - 1
    }
    fn bind(&mut self, l: usize) {
        self.labels[l] = Some(self.insns.len());
    }
    fn ld_abs(&mut self, off: u32) {
        self.insns.push(Insn::Stmt(
            (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16,
            off,
        ));
    }
    fn and(&mut self, k: u32) {
        self.insns.push(Insn::Stmt(
            (libc::BPF_ALU | libc::BPF_AND | libc::BPF_K) as u16,
            k,
        ));
    }
    fn jgt(&mut self, k: u32, t: Target, f: Target) {
        self.insns.push(Insn::Jump(
            (libc::BPF_JMP | libc::BPF_JGT | libc::BPF_K) as u16,
            k,
            t,
            f,
        ));
    }
    fn ret(&mut self, k: u32) {
        self.insns
            .push(Insn::Stmt((libc::BPF_RET | libc::BPF_K) as u16, k));
    }
    fn jset(&mut self, k: u32, t: Target, f: Target) {
        self.insns.push(Insn::Jump(
            (libc::BPF_JMP | libc::BPF_JSET | libc::BPF_K) as u16,
            k,
            t,
            f,
        ));
    }
    fn jeq(&mut self, k: u32, t: Target, f: Target) {
        self.insns.push(Insn::Jump(
            (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
            k,
            t,
            f,
        ));
    }
    fn jge(&mut self, k: u32, t: Target, f: Target) {
        self.insns.push(Insn::Jump(
            (libc::BPF_JMP | libc::BPF_JGE | libc::BPF_K) as u16,
            k,
            t,
            f,
        ));
    }
    /// To `inside` if the accumulator is in `first..=last`, else to `outside`.
    fn jin(&mut self, (first, last): (u32, u32), inside: Target, outside: Target) {
        self.jge(first, Target::Next, outside);
        self.jgt(last, outside, inside);
    }
    fn finish(self) -> Vec<sock_filter> {
        let resolve = |t: Target, at: usize| -> u8 {
            match t {
                Target::Next => 0,
                Target::Label(l) => {
                    let dest = self.labels[l].expect("every label is bound");
                    u8::try_from(dest - at - 1).expect("BPF jump fits in u8")
                }
            }
        };
        self.insns
            .iter()
            .enumerate()
            .map(|(i, insn)| match *insn {
                Insn::Stmt(code, k) => sock_filter {
                    code,
                    jt: 0,
                    jf: 0,
                    k,
                },
                Insn::Jump(code, k, t, f) => sock_filter {
                    code,
                    jt: resolve(t, i),
                    jf: resolve(f, i),
                    k,
                },
            })
            .collect()
    }
}

/// Builds the filter program (in the parent: the child must not allocate after fork).
/// `fast_recv`: recvmsg made from the preload library's trampoline page runs natively
/// (`crate::preload`).
pub(crate) fn program(fast_recv: bool) -> Vec<sock_filter> {
    let mut a = Asm {
        insns: Vec::new(),
        labels: Vec::new(),
    };
    let notify = a.label();
    let foreign = a.label();
    let socket = a.label();
    let ioctl = a.label();
    let unshare = a.label();
    let sendto = a.label();
    let allow_send = a.label();
    let enosys = a.label();
    let sysctl_fd = a.label();
    let stat_flags3 = a.label();
    let stat_flags2 = a.label();
    let ns_fd = a.label();

    a.ld_abs(OFF_ARCH);
    a.jeq(AUDIT_ARCH_NATIVE, Target::Next, Target::Label(foreign));
    a.ld_abs(OFF_NR);
    #[cfg(target_arch = "x86_64")]
    a.jge(X32_SYSCALL_BIT, Target::Label(foreign), Target::Next);
    a.jeq(libc::SYS_socket as u32, Target::Label(socket), Target::Next);
    a.jeq(libc::SYS_ioctl as u32, Target::Label(ioctl), Target::Next);
    // io_uring runs socket(), connect(), openat() and more from a kernel worker that seccomp
    // never sees (IORING_OP_SOCKET would reach the host's netlink): the whole interface is
    // refused, as Docker's default profile does; programs fall back to plain system calls.
    for nr in ENOSYS_CALLS {
        a.jeq(nr as u32, Target::Label(enosys), Target::Next);
    }
    // Network namespaces are the simulator's (netns.rs): unshare of a network or mount
    // namespace, setns, and the file calls `ip netns` makes under /run/netns.
    a.jeq(
        libc::SYS_unshare as u32,
        Target::Label(unshare),
        Target::Next,
    );
    a.jeq(libc::SYS_setns as u32, Target::Label(notify), Target::Next);
    // Opens: `/dev/net/tun` gets a stand-in, `/sys/class/net/<dev>/<attr>` the model's
    // content, and namespace files a namespace stand-in; BPF cannot read the path, so every
    // open is sent and the others CONTINUE. The same holds for the other path calls.
    a.jeq(libc::SYS_openat as u32, Target::Label(notify), Target::Next);
    a.jeq(
        libc::SYS_openat2 as u32,
        Target::Label(notify),
        Target::Next,
    );
    #[cfg(target_arch = "x86_64")]
    a.jeq(libc::SYS_open as u32, Target::Label(notify), Target::Next);
    a.jeq(libc::SYS_mount as u32, Target::Label(notify), Target::Next);
    a.jeq(
        libc::SYS_umount2 as u32,
        Target::Label(notify),
        Target::Next,
    );
    #[cfg(target_arch = "x86_64")]
    a.jeq(libc::SYS_mkdir as u32, Target::Label(notify), Target::Next);
    a.jeq(
        libc::SYS_mkdirat as u32,
        Target::Label(notify),
        Target::Next,
    );
    #[cfg(target_arch = "x86_64")]
    a.jeq(libc::SYS_unlink as u32, Target::Label(notify), Target::Next);
    a.jeq(
        libc::SYS_unlinkat as u32,
        Target::Label(notify),
        Target::Next,
    );
    let fast_recv_ip = a.label();
    if fast_recv && crate::preload::SUPPORTED {
        a.jeq(
            libc::SYS_recvmsg as u32,
            Target::Label(fast_recv_ip),
            Target::Next,
        );
    }
    for nr in SOCKET_CALLS {
        a.jeq(nr as u32, Target::Label(notify), Target::Next);
    }
    a.jeq(libc::SYS_sendto as u32, Target::Label(sendto), Target::Next);
    // Writes to the fd numbers sysctl write stand-ins are installed at (sysctl.rs): the
    // value is applied, and its error returned, by write() itself.
    for nr in WRITE_CALLS {
        a.jeq(nr as u32, Target::Label(sysctl_fd), Target::Next);
    }
    // Path stats, readlinks and access checks: /proc/sys/net entries are the simulator's (sysctl(8) stats
    // a key before it opens it). An fstat (AT_EMPTY_PATH) names no path and stays native.
    a.jeq(
        libc::SYS_newfstatat as u32,
        Target::Label(stat_flags3),
        Target::Next,
    );
    a.jeq(
        libc::SYS_statx as u32,
        Target::Label(stat_flags2),
        Target::Next,
    );
    // Namespace files (nsfs.rs): statfs and inotify of their paths, and the fd calls on the fd
    // numbers namespace stand-ins are installed at.
    for nr in [libc::SYS_statfs, libc::SYS_inotify_add_watch] {
        a.jeq(nr as u32, Target::Label(notify), Target::Next);
    }
    a.jeq(libc::SYS_fstatfs as u32, Target::Label(ns_fd), Target::Next);
    #[cfg(target_arch = "x86_64")]
    a.jeq(libc::SYS_fstat as u32, Target::Label(ns_fd), Target::Next);
    #[cfg(target_arch = "x86_64")]
    for nr in [
        libc::SYS_stat,
        libc::SYS_lstat,
        libc::SYS_readlink,
        libc::SYS_access,
    ] {
        a.jeq(nr as u32, Target::Label(notify), Target::Next);
    }
    for nr in [
        libc::SYS_readlinkat,
        libc::SYS_faccessat,
        libc::SYS_faccessat2,
    ] {
        a.jeq(nr as u32, Target::Label(notify), Target::Next);
    }
    a.ret(libc::SECCOMP_RET_ALLOW);

    let allow_path = a.label();
    a.bind(sysctl_fd);
    a.ld_abs(off_arg_lo(0));
    a.jin(
        (crate::sysctl::FD_FIRST, crate::sysctl::FD_LAST),
        Target::Label(notify),
        Target::Label(allow_path),
    );
    a.bind(stat_flags3);
    a.ld_abs(off_arg_lo(3));
    a.jset(
        libc::AT_EMPTY_PATH as u32,
        Target::Label(ns_fd),
        Target::Label(notify),
    );
    a.bind(stat_flags2);
    a.ld_abs(off_arg_lo(2));
    a.jset(
        libc::AT_EMPTY_PATH as u32,
        Target::Label(ns_fd),
        Target::Label(notify),
    );
    // An fd call (fstat, fstatfs, AT_EMPTY_PATH) is only sent for a namespace stand-in's
    // fd number.
    a.bind(ns_fd);
    a.ld_abs(off_arg_lo(0));
    a.jin(
        (crate::nsfs::FD_FIRST, crate::nsfs::FD_LAST),
        Target::Label(notify),
        Target::Label(allow_path),
    );
    a.bind(allow_path);
    a.ret(libc::SECCOMP_RET_ALLOW);

    // An empty send: netlink_sendmsg refuses it (ENODATA) where a unix socket would carry an
    // empty datagram. Only sendto can be told empty from its arguments (sendmsg's length is
    // behind a pointer), and only length 0 is sent to the supervisor: other sends stay native.
    a.bind(sendto);
    a.ld_abs(off_arg_lo(2));
    a.jeq(0, Target::Next, Target::Label(allow_send));
    a.ld_abs(off_arg_lo(2) + 4);
    a.jeq(0, Target::Label(notify), Target::Label(allow_send));
    a.bind(allow_send);
    a.ret(libc::SECCOMP_RET_ALLOW);

    a.bind(socket);
    a.ld_abs(off_arg_lo(0));
    a.jeq(AF_NETLINK, Target::Label(notify), Target::Next);
    a.jeq(AF_PACKET, Target::Label(notify), Target::Next);
    a.ret(libc::SECCOMP_RET_ALLOW);

    a.bind(ioctl);
    // The low 32 bits: sock_ioctl and the drivers take an `unsigned int cmd`.
    a.ld_abs(off_arg_lo(1));
    let allow_ioctl = a.label();
    let not_sockios = a.label();
    // Default deny: every socket ioctl (0x8900..=0x89ff, SIOCDEVPRIVATE and SIOCPROTOPRIVATE
    // included) and every wireless extension (0x8b00..=0x8bff) goes to the supervisor, which
    // answers it from the model or refuses it; only the socket-local requests (owner,
    // timestamps, OOB mark: they read the socket, no network state) run natively.
    a.jge(sockios::FIRST, Target::Next, Target::Label(not_sockios));
    a.jgt(sockios::LAST, Target::Label(not_sockios), Target::Next);
    a.jge(sockios::LOCAL_FIRST, Target::Next, Target::Label(notify));
    a.jgt(
        sockios::LOCAL_LAST,
        Target::Label(notify),
        Target::Label(allow_ioctl),
    );
    a.bind(not_sockios);
    let tun = a.label();
    a.jge(sockios::WIRELESS_FIRST, Target::Next, Target::Label(tun));
    a.jgt(
        sockios::WIRELESS_LAST,
        Target::Label(tun),
        Target::Label(notify),
    );
    a.bind(tun);
    a.and(0xffff);
    a.jge(tun_ioctl::FIRST, Target::Next, Target::Label(allow_ioctl));
    a.jgt(
        tun_ioctl::LAST,
        Target::Label(allow_ioctl),
        Target::Label(notify),
    );
    a.bind(allow_ioctl);
    a.ret(libc::SECCOMP_RET_ALLOW);

    a.bind(unshare);
    a.ld_abs(off_arg_lo(0));
    a.jset(
        (libc::CLONE_NEWNET | libc::CLONE_NEWNS) as u32,
        Target::Label(notify),
        Target::Next,
    );
    a.ret(libc::SECCOMP_RET_ALLOW);

    // A recvmsg whose instruction pointer lies in the trampoline page runs natively: on a
    // socket that is not the simulator's the supervisor would CONTINUE it anyway, and a
    // simulator socket holds only the simulator's bytes. Only recvmsg reaches this test.
    a.bind(fast_recv_ip);
    a.ld_abs(OFF_IP + 4);
    a.jeq(
        (crate::preload::TRAMP_ADDR >> 32) as u32,
        Target::Next,
        Target::Label(notify),
    );
    a.ld_abs(OFF_IP);
    a.and(!(crate::preload::PAGE as u32 - 1));
    a.jeq(
        crate::preload::TRAMP_ADDR as u32,
        Target::Next,
        Target::Label(notify),
    );
    a.ret(libc::SECCOMP_RET_ALLOW);

    a.bind(notify);
    a.ret(libc::SECCOMP_RET_USER_NOTIF);

    a.bind(enosys);
    a.ret(libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32);

    // 32-bit (i386/x32) system calls would bypass every check above, which compares native
    // numbers; failing them keeps the host's netlink out of reach.
    a.bind(foreign);
    a.ret(libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32);
    a.finish()
}

/// Installs `prog` on the calling thread and returns the listener fd.
///
/// Runs in the forked child before `exec`: only raw system calls, no allocation, no locks.
pub(crate) fn install(prog: &[sock_filter]) -> Result<libc::c_int, libc::c_int> {
    let fprog = sock_fprog {
        len: prog.len() as libc::c_ushort,
        filter: prog.as_ptr() as *mut sock_filter,
    };
    // SAFETY: prctl and seccomp with valid arguments; `fprog` outlives the calls.
    unsafe {
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            return Err(*libc::__errno_location());
        }
        let fd = libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            libc::SECCOMP_FILTER_FLAG_NEW_LISTENER | libc::SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
            &fprog as *const sock_fprog,
        );
        if fd < 0 {
            return Err(*libc::__errno_location());
        }
        Ok(fd as libc::c_int)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jumps_land_on_returns() {
        let p = program(false);
        let ret = (libc::BPF_RET | libc::BPF_K) as u16;
        for (i, insn) in p.iter().enumerate() {
            if insn.code & 0x07 == libc::BPF_JMP as u16 {
                for off in [insn.jt, insn.jf] {
                    let dest = i + 1 + off as usize;
                    assert!(dest < p.len(), "jump out of program at {i}");
                }
            }
        }
        assert_eq!(p.last().map(|i| i.code), Some(ret));
        assert!(p.len() < 128);
    }

    /// Runs the program on one system call, as the kernel's classic BPF interpreter would
    /// (only the instructions `Asm` emits).
    fn verdict(p: &[sock_filter], nr: libc::c_long, args: [u64; 6]) -> u32 {
        verdict_at(p, nr, args, 0)
    }

    /// The verdict for a call made with instruction pointer `ip`.
    fn verdict_at(p: &[sock_filter], nr: libc::c_long, args: [u64; 6], ip: u64) -> u32 {
        let mut data = [0u8; 64];
        data[0..4].copy_from_slice(&(nr as u32).to_ne_bytes());
        data[4..8].copy_from_slice(&AUDIT_ARCH_NATIVE.to_ne_bytes());
        data[8..16].copy_from_slice(&ip.to_ne_bytes());
        for (i, a) in args.iter().enumerate() {
            data[16 + 8 * i..24 + 8 * i].copy_from_slice(&a.to_ne_bytes());
        }
        let (mut acc, mut pc) = (0u32, 0usize);
        loop {
            let i = p[pc];
            let (class, op) = (i.code & 0x07, i.code & 0xf0);
            pc += 1;
            match class as u32 {
                libc::BPF_LD => {
                    let o = i.k as usize;
                    acc = u32::from_ne_bytes(data[o..o + 4].try_into().unwrap());
                }
                libc::BPF_ALU => {
                    assert_eq!(op as u32, libc::BPF_AND);
                    acc &= i.k;
                }
                libc::BPF_JMP => {
                    let taken = match op as u32 {
                        libc::BPF_JEQ => acc == i.k,
                        libc::BPF_JGT => acc > i.k,
                        libc::BPF_JGE => acc >= i.k,
                        libc::BPF_JSET => acc & i.k != 0,
                        other => panic!("jump op {other:#x}"),
                    };
                    pc += if taken { i.jt } else { i.jf } as usize;
                }
                libc::BPF_RET => return i.k,
                other => panic!("class {other:#x}"),
            }
        }
    }

    /// The trampoline page lets recvmsg alone through: every other call made from it, and
    /// recvmsg from anywhere else (the next page, the same offset 4 GiB away), is judged as
    /// without the fast path.
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn the_trampoline_allows_only_recvmsg() {
        use crate::preload::{PAGE, TRAMP_ADDR};
        let fast = program(true);
        let plain = program(false);
        let allow = libc::SECCOMP_RET_ALLOW;
        let notify = libc::SECCOMP_RET_USER_NOTIF;
        let inside = TRAMP_ADDR + 7;
        assert_eq!(
            verdict_at(&fast, libc::SYS_recvmsg, [3, 0, 0, 0, 0, 0], inside),
            allow
        );
        assert_eq!(
            verdict_at(
                &fast,
                libc::SYS_recvmsg,
                [3, 0, 0, 0, 0, 0],
                TRAMP_ADDR + PAGE - 1
            ),
            allow
        );
        for ip in [
            0,
            TRAMP_ADDR - 1,
            TRAMP_ADDR + PAGE,
            TRAMP_ADDR ^ (1 << 32),
            TRAMP_ADDR as u32 as u64,
        ] {
            assert_eq!(
                verdict_at(&fast, libc::SYS_recvmsg, [3, 0, 0, 0, 0, 0], ip),
                notify
            );
        }
        // Every other call from inside the page: the same verdict as without the fast path.
        for nr in 0..=libc::SYS_futex_waitv {
            if nr == libc::SYS_recvmsg {
                continue;
            }
            for args in [[3u64, 0, 0, 0, 0, 0], [AF_NETLINK as u64, 3, 0, 0, 0, 0]] {
                assert_eq!(
                    verdict_at(&fast, nr, args, inside),
                    verdict(&plain, nr, args),
                    "syscall {nr}"
                );
            }
        }
        assert_eq!(
            verdict_at(&plain, libc::SYS_recvmsg, [3, 0, 0, 0, 0, 0], inside),
            notify
        );
    }

    #[test]
    fn routes_the_calls() {
        let p = program(false);
        let notify = libc::SECCOMP_RET_USER_NOTIF;
        let allow = libc::SECCOMP_RET_ALLOW;
        let enosys = libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32;
        let ioctl = |req: u64| verdict(&p, libc::SYS_ioctl, [3, req, 0, 0, 0, 0]);
        // Emulated, refused, private and wireless requests go to the supervisor; the upper
        // half of the argument is ignored, as by sock_ioctl's unsigned int cmd.
        for req in [
            0x8913, 0x8916, 0x890b, 0x8955, 0x894c, 0x89f1, 0x89e0, 0x8b01, 0x8bff,
        ] {
            assert_eq!(ioctl(req), notify, "{req:#x}");
            assert_eq!(ioctl(0xdead_0000_0000 | req), notify, "{req:#x} high bits");
        }
        // Socket-local ones and unrelated ioctls run natively; the tun range is notified.
        for req in [0x8901, 0x8907, 0x5401, 0x541b, 0x88ff, 0x8a00, 0x8c00] {
            assert_eq!(ioctl(req), allow, "{req:#x}");
        }
        assert_eq!(ioctl(0x4004_54ca), notify);
        for nr in ENOSYS_CALLS {
            assert_eq!(verdict(&p, nr, [0; 6]), enosys, "{nr}");
        }
        assert_eq!(verdict(&p, libc::SYS_openat2, [0; 6]), notify);
        assert_eq!(verdict(&p, libc::SYS_socket, [16, 3, 0, 0, 0, 0]), notify);
        assert_eq!(
            verdict(&p, libc::SYS_socket, [17, 3, 0x0300, 0, 0, 0]),
            notify
        );
        assert_eq!(verdict(&p, libc::SYS_socket, [2, 2, 0, 0, 0, 0]), allow);
        assert_eq!(
            verdict(&p, libc::SYS_sendto, [3, 0x1000, 0, 0, 0, 0]),
            notify
        );
        assert_eq!(
            verdict(&p, libc::SYS_sendto, [3, 0x1000, 20, 0, 0, 0]),
            allow
        );
        assert_eq!(
            verdict(&p, libc::SYS_sendto, [3, 0x1000, 1 << 32, 0, 0, 0]),
            allow
        );
        assert_eq!(verdict(&p, libc::SYS_read, [0; 6]), allow);
        // Writes: only on the sysctl stand-ins' fd numbers.
        let first = u64::from(crate::sysctl::FD_FIRST);
        let last = u64::from(crate::sysctl::FD_LAST);
        for nr in WRITE_CALLS {
            assert_eq!(verdict(&p, nr, [1, 0, 2, 0, 0, 0]), allow);
            assert_eq!(verdict(&p, nr, [first, 0, 2, 0, 0, 0]), notify);
            assert_eq!(verdict(&p, nr, [last, 0, 2, 0, 0, 0]), notify);
            assert_eq!(verdict(&p, nr, [last + 1, 0, 2, 0, 0, 0]), allow);
        }
        // Path stats go to the supervisor, fstat does not.
        let empty = libc::AT_EMPTY_PATH as u64;
        assert_eq!(
            verdict(&p, libc::SYS_newfstatat, [3, 0, 0, 0, 0, 0]),
            notify
        );
        assert_eq!(
            verdict(&p, libc::SYS_newfstatat, [3, 0, 0, empty, 0, 0]),
            allow
        );
        assert_eq!(verdict(&p, libc::SYS_statx, [3, 0, 0, 0, 0, 0]), notify);
        assert_eq!(verdict(&p, libc::SYS_statx, [3, 0, empty, 0, 0, 0]), allow);
        // ... except on a namespace stand-in's fd number, as fstat and fstatfs.
        let ns = u64::from(crate::nsfs::FD_FIRST);
        let ns_last = u64::from(crate::nsfs::FD_LAST);
        assert_eq!(
            verdict(&p, libc::SYS_statx, [ns, 0, empty, 0, 0, 0]),
            notify
        );
        assert_eq!(
            verdict(&p, libc::SYS_newfstatat, [ns_last, 0, 0, empty, 0, 0]),
            notify
        );
        assert_eq!(verdict(&p, libc::SYS_fstatfs, [ns, 0, 0, 0, 0, 0]), notify);
        assert_eq!(verdict(&p, libc::SYS_fstatfs, [3, 0, 0, 0, 0, 0]), allow);
        assert_eq!(
            verdict(&p, libc::SYS_fstatfs, [ns_last + 1, 0, 0, 0, 0, 0]),
            allow
        );
        #[cfg(target_arch = "x86_64")]
        assert_eq!(verdict(&p, libc::SYS_fstat, [ns, 0, 0, 0, 0, 0]), notify);
        #[cfg(target_arch = "x86_64")]
        assert_eq!(verdict(&p, libc::SYS_fstat, [1, 0, 0, 0, 0, 0]), allow);
        assert_eq!(verdict(&p, libc::SYS_statfs, [0; 6]), notify);
        assert_eq!(verdict(&p, libc::SYS_inotify_add_watch, [0; 6]), notify);
        assert_eq!(verdict(&p, libc::SYS_readlinkat, [0; 6]), notify);
        assert_eq!(verdict(&p, libc::SYS_faccessat, [0; 6]), notify);
    }
}
