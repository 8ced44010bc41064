//! The control protocol's requests ([`crate::control`]), handled once: one `match` on
//! [`ControlRequest`], each arm a socket operation of [`NetlinkTable`] or a model operation
//! followed by its notifications.

use super::af_netlink::{NetlinkTable, SockError};
use super::clock::SimClock;
use super::notify::rtnl_notify;
use crate::control::{ControlReply, ControlRequest, NetnsRequest};
use kernel_model::inet::procfs::ProcNetFile;
use kernel_model::sysfs::SysfsRead;
use kernel_model::uapi::errno;
use kernel_model::{KResult, Kernel, KernelError, NetnsId};

fn kernel_err(e: KernelError) -> ControlReply {
    ControlReply::Err {
        errno: e.errno,
        msg: e.msg.map(|m| m.to_string()),
    }
}

fn sock_err(e: SockError) -> ControlReply {
    match e {
        SockError::NoSuchConn => ControlReply::Err {
            errno: errno::EINVAL,
            msg: Some("no such data connection".into()),
        },
        SockError::Errno(errno) => ControlReply::Err { errno, msg: None },
    }
}

/// `Ok` or the error, as a reply.
fn done(r: Result<(), SockError>) -> ControlReply {
    match r {
        Ok(()) => ControlReply::Ok,
        Err(e) => sock_err(e),
    }
}

/// A model operation's result, after its notifications went out.
fn notified(kernel: &mut Kernel, nl: &mut NetlinkTable, r: KResult<()>) -> ControlReply {
    rtnl_notify(kernel, nl, None);
    match r {
        Ok(()) => ControlReply::Ok,
        Err(e) => kernel_err(e),
    }
}

/// Answers one control request. The caller brought the model's time up to date first
/// (`Server::tick`); `DumpState` expects it to have handled what clients already sent
/// (`Server::settle`) too.
pub(super) fn handle(
    kernel: &mut Kernel,
    nl: &mut NetlinkTable,
    clock: &mut SimClock,
    req: ControlRequest,
) -> ControlReply {
    match req {
        ControlRequest::ClockShow => clock_reply(kernel, clock),
        ControlRequest::ClockAdvance { nanos } => {
            clock.advance(nanos);
            // The timers that fall due in the jump fire now, their notifications first.
            kernel.advance_to(clock.now());
            rtnl_notify(kernel, nl, None);
            clock_reply(kernel, clock)
        }
        ControlRequest::Bind {
            conn,
            portid,
            groups,
        } => match nl.bind(conn, portid, groups) {
            Ok(portid) => ControlReply::Name { portid, groups },
            Err(e) => sock_err(e),
        },
        ControlRequest::GetName { conn } => match nl.get_name(conn) {
            Ok((portid, groups)) => ControlReply::Name { portid, groups },
            Err(e) => sock_err(e),
        },
        ControlRequest::SetSockOpt { conn, opt, val } => done(nl.setsockopt(conn, opt, val)),
        ControlRequest::GetSockOpt { conn, opt } => match nl.getsockopt(conn, opt) {
            Ok(val) => ControlReply::Value { val },
            Err(e) => sock_err(e),
        },
        ControlRequest::RecvLen { conn, len } => done(nl.set_recv_len(conn, len)),
        ControlRequest::SetRcvBuf { conn, bytes } => done(nl.set_rcvbuf(conn, bytes)),
        ControlRequest::TakeError { conn } => match nl.take_error(conn) {
            Ok(err) => ControlReply::Value { val: err as u32 },
            Err(e) => sock_err(e),
        },
        ControlRequest::RecvBufStats { conn } => match nl.rcvbuf_stats(conn) {
            Ok(s) => ControlReply::RecvBuf {
                rcvbuf: s.rcvbuf,
                rmem_alloc: s.rmem_alloc,
                drops: s.drops,
                congested: s.congested,
                backlog_bytes: s.backlog_bytes,
                backlog_datagrams: s.backlog_datagrams,
            },
            Err(e) => sock_err(e),
        },
        ControlRequest::NetdevsimNewDevice { id, ports } => {
            let ns = kernel.init_net();
            let r = kernel.netdevsim_new_device(ns, id, ports);
            notified(kernel, nl, r)
        }
        ControlRequest::TunOpen { tid } => {
            let ns = task_netns(kernel, tid);
            ControlReply::TunFile {
                file: kernel.tun_open(ns),
            }
        }
        ControlRequest::TunSetIff {
            file,
            name,
            flags,
            cred,
        } => {
            let r = kernel.tun_set_iff(file, &name, flags, &cred);
            rtnl_notify(kernel, nl, None);
            match r {
                Ok(ifr) => ControlReply::Ifreq {
                    name: ifr.name,
                    flags: ifr.flags,
                },
                Err(e) => kernel_err(e),
            }
        }
        ControlRequest::TunGetIff { file } => match kernel.tun_get_iff(file) {
            Ok(ifr) => ControlReply::Ifreq {
                name: ifr.name,
                flags: ifr.flags,
            },
            Err(e) => kernel_err(e),
        },
        ControlRequest::TunSetPersist { file, on } => {
            let r = kernel.tun_set_persist(file, on);
            notified(kernel, nl, r)
        }
        ControlRequest::TunSetOwner { file, uid } => {
            let r = kernel.tun_set_owner(file, uid);
            notified(kernel, nl, r)
        }
        ControlRequest::TunSetGroup { file, gid } => {
            let r = kernel.tun_set_group(file, gid);
            notified(kernel, nl, r)
        }
        ControlRequest::TunClose { file } => {
            kernel.tun_close(file);
            notified(kernel, nl, Ok(()))
        }
        ControlRequest::SysfsRead { dev, attr, tid } => {
            let ns = task_netns(kernel, tid);
            match kernel.sysfs_read(ns, &dev, &attr) {
                SysfsRead::Text(text) => ControlReply::Text { text },
                SysfsRead::NoDevice => ControlReply::Err {
                    errno: errno::ENOENT,
                    msg: None,
                },
                SysfsRead::NotModelled => ControlReply::Err {
                    errno: errno::ENOENT,
                    msg: Some(format!("nlsim: /sys/class/net/{dev}/{attr} not modelled")),
                },
            }
        }
        ControlRequest::Netns { req } => netns_request(kernel, nl, req),
        ControlRequest::ProcNetRead { file, tid } => {
            let ns = task_netns(kernel, tid);
            match ProcNetFile::from_name(&file) {
                Some(f) => match kernel.proc_net_read(ns, f) {
                    Ok(text) => ControlReply::Text { text },
                    Err(e) => kernel_err(e),
                },
                None => ControlReply::Err {
                    errno: libc::EOPNOTSUPP,
                    msg: Some(format!("nlsim: /proc/net/{file} not modelled")),
                },
            }
        }
        ControlRequest::DevinetIoctl { cmd, ifr, tid } => {
            let ns = task_netns(kernel, tid);
            let r = kernel.devinet_ioctl(ns, cmd, &ifr);
            rtnl_notify(kernel, nl, None);
            match r {
                Ok(Some(addr)) => ControlReply::Value {
                    val: u32::from(addr),
                },
                Ok(None) => ControlReply::Ok,
                Err(e) => kernel_err(e),
            }
        }
        ControlRequest::DevMcIoctl {
            cmd,
            name,
            family,
            data,
            tid,
        } => {
            let ns = task_netns(kernel, tid);
            let r = kernel.dev_mc_ioctl(ns, cmd, &name, family, &data);
            rtnl_notify(kernel, nl, None);
            match r {
                Ok(()) => ControlReply::Ok,
                Err(e) => kernel_err(e),
            }
        }
        ControlRequest::Sysctl { req, tid, netns } => {
            let ns = netns
                .map(NetnsId)
                .filter(|n| kernel.netns_alive(*n))
                .unwrap_or_else(|| task_netns(kernel, Some(tid)));
            let r = super::sysctl::handle(kernel, ns, req);
            // A write's effects (addresses, memberships) notify like any model operation.
            rtnl_notify(kernel, nl, None);
            match r {
                Ok(answer) => ControlReply::Sysctl { answer },
                Err(e) => kernel_err(e),
            }
        }
        ControlRequest::DumpState => {
            // The state outlives the tasks: namespaces only they held are gone.
            netns_gc(kernel, nl);
            match serde_json::to_value(&*kernel) {
                Ok(state) => ControlReply::State { state },
                Err(e) => ControlReply::Err {
                    errno: errno::EINVAL,
                    msg: Some(e.to_string()),
                },
            }
        }
        ControlRequest::CheckInvariants => match kernel.check_invariants() {
            Ok(()) => ControlReply::Ok,
            Err(msg) => ControlReply::Err {
                errno: libc::EUCLEAN,
                msg: Some(format!("nlsim: model invariant violated: {msg}")),
            },
        },
    }
}

fn clock_reply(kernel: &Kernel, clock: &SimClock) -> ControlReply {
    ControlReply::Clock {
        now: kernel.now(),
        mode: clock.mode(),
        next_timer: kernel.next_timer(),
        timers: kernel.timers().count(),
    }
}

/// The namespace of thread `tid` (none: the initial one).
fn task_netns(kernel: &Kernel, tid: Option<u32>) -> NetnsId {
    match tid {
        Some(t) => crate::netns_ref::task_netns(kernel, t),
        None => kernel.init_net(),
    }
}

/// `put_net` for every namespace nothing holds any more: no mount under `/run/netns`, no
/// task, no socket (`cleanup_net` then destroys its devices). Also run when a socket that
/// held a namespace closes (`sk_free`).
pub(super) fn netns_gc(kernel: &mut Kernel, nl: &mut NetlinkTable) {
    crate::netns_ref::forget_exited_tasks(kernel);
    let by_socket = nl.sockets_netns();
    let dead: Vec<_> = kernel
        .netns_ids()
        .filter(|ns| !kernel.netns_held(*ns) && !by_socket.contains(ns))
        .collect();
    for ns in dead {
        kernel.netns_destroy(ns);
    }
    rtnl_notify(kernel, nl, None);
}

fn netns_request(kernel: &mut Kernel, nl: &mut NetlinkTable, req: NetnsRequest) -> ControlReply {
    let reply = |r: KResult<()>| match r {
        Ok(()) => ControlReply::Ok,
        Err(e) => kernel_err(e),
    };
    let start = |tid: u32| crate::netns_ref::start_time(tid);
    match req {
        NetnsRequest::Unshare { tid } => {
            let Some(st) = start(tid) else {
                return kernel_err(KernelError::new(errno::ESRCH));
            };
            // copy_net_ns: a fresh namespace; the one the task leaves may now be free.
            let ns = kernel.netns_new();
            kernel.set_task_netns(tid, st, ns);
            netns_gc(kernel, nl);
            ControlReply::Value { val: ns.0 }
        }
        NetnsRequest::Setns { tid, netns } => {
            let ns = NetnsId(netns);
            let Some(st) = start(tid) else {
                return kernel_err(KernelError::new(errno::ESRCH));
            };
            if !kernel.netns_alive(ns) {
                return kernel_err(KernelError::new(errno::EINVAL));
            }
            kernel.set_task_netns(tid, st, ns);
            netns_gc(kernel, nl);
            ControlReply::Ok
        }
        NetnsRequest::OfTask { tid } => match crate::netns_ref::by_pid(kernel, tid) {
            Ok(ns) => ControlReply::Value { val: ns.0 },
            Err(e) => kernel_err(e),
        },
        NetnsRequest::Mkdir => reply(kernel.run_netns_mkdir()),
        NetnsRequest::Create { name, excl } => reply(kernel.run_netns_create(&name, excl)),
        NetnsRequest::Lookup { name } => match kernel.run_netns_lookup(&name) {
            Ok(ns) => ControlReply::NetnsEntry {
                netns: ns.map(|n| n.0),
            },
            Err(e) => kernel_err(e),
        },
        NetnsRequest::Mount { name, netns } => reply(kernel.run_netns_mount(&name, NetnsId(netns))),
        NetnsRequest::Umount { name } => {
            let r = kernel.run_netns_umount(&name).map(|_| ());
            netns_gc(kernel, nl);
            reply(r)
        }
        NetnsRequest::Unlink { name } => reply(kernel.run_netns_unlink(&name)),
        NetnsRequest::Hold { netns, ino } => reply(kernel.ns_file_hold(ino, NetnsId(netns))),
        NetnsRequest::Inum { netns } => match kernel.netns_inum(NetnsId(netns)) {
            Some(val) => ControlReply::Value { val },
            None => kernel_err(KernelError::new(errno::EINVAL)),
        },
        NetnsRequest::Release { ino } => {
            kernel.ns_file_release(ino);
            netns_gc(kernel, nl);
            ControlReply::Ok
        }
        NetnsRequest::List => {
            let dir = kernel.netns_run_dir();
            if !dir.exists {
                return kernel_err(KernelError::new(errno::ENOENT));
            }
            ControlReply::Names {
                names: dir.names().map(str::to_string).collect(),
            }
        }
    }
}
