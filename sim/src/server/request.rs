//! The request side of a data connection (`netlink_sendmsg` → `netlink_unicast_kernel` →
//! `rtnetlink_rcv`, and `netlink_dump` continuing a dump as the reader drains): requests go
//! to `rtnl::handle`, replies and dump datagrams to the socket. The request handlers of
//! `rtnl` are called from here only.

use super::af_netlink::{refresh_rmem, NetlinkTable};
use super::io::Role;
use super::notify::{rtnl_notify, Origin};
use crate::capture::PACKET_KERNEL;
use crate::rcvbuf;
use crate::rtnl::{self, Outcome};
use crate::trace::Tracer;
use crate::wire::ack::{encode_ack, ExtAck};
use crate::wire::consts::NLM_F_ECHO;
use crate::wire::raw::split_messages;
use kernel_model::Kernel;
use tracing::trace;

/// One datagram a client sent on data connection `key`.
pub(super) fn rtnetlink_rcv(
    kernel: &mut Kernel,
    nl: &mut NetlinkTable,
    tracer: Option<&mut Tracer>,
    key: usize,
    data: &[u8],
) {
    // The kernel binds an unbound socket on its first send (netlink_sendmsg).
    nl.ensure_bound(key);
    let Some(Role::Data { sock, .. }) = nl.conns.get(key).map(|c| &c.role) else {
        return;
    };
    if let Some(t) = tracer {
        t.datagram("->", key, sock.portid, data);
    }
    // netlink_unicast_kernel taps the datagram before rtnetlink_rcv handles it.
    let netns = sock.netns;
    super::af_netlink::netlink_deliver_tap(&mut nl.capture, kernel, netns, PACKET_KERNEL, data);
    for msg in split_messages(data) {
        let Some(Role::Data { sock, dump }) = nl.conns.get(key).map(|c| &c.role) else {
            return;
        };
        let ctx = sock.ctx();
        trace!(
            conn = key,
            kind = msg.header.kind,
            seq = msg.header.seq,
            "request"
        );
        let outcome = rtnl::handle(kernel, &ctx, &msg, dump.is_some());
        let origin = Origin {
            key,
            portid: ctx.portid,
            seq: msg.header.seq,
            echo: msg.header.flags & NLM_F_ECHO != 0,
        };
        // Notifications are delivered while the handler runs, so a socket that caused one
        // (and listens, or asked for NLM_F_ECHO) reads it before its ACK.
        rtnl_notify(kernel, nl, Some(origin));
        match outcome {
            Outcome::Reply(dgrams) => {
                for d in dgrams {
                    nl.unicast(kernel, key, d);
                }
            }
            Outcome::Dump(mut d) => {
                // netlink_dump_start runs the first round at once, if the buffer has room.
                let charged = rcvbuf::dump_truesize(ctx.max_recvmsg_len);
                let Some(c) = nl.conns.get_mut(key) else {
                    return;
                };
                refresh_rmem(c, charged);
                if c.rb.dump_admits(charged) {
                    if let Some(chunk) = d.next_chunk(kernel, &ctx) {
                        nl.queue_dump(kernel, key, ctx.netns, chunk, charged);
                    }
                } else {
                    // netlink_dump found the buffer full: __netlink_dump_start returns
                    // -ENOBUFS, netlink_rcv_skb ACKs it, and the dump stays running for a
                    // later recvmsg to continue.
                    let ack = encode_ack(
                        &msg,
                        ctx.portid,
                        -libc::ENOBUFS,
                        &ExtAck::default(),
                        ctx.ack,
                    );
                    nl.unicast(kernel, key, ack);
                }
                if let Some(Role::Data { dump, .. }) = nl.conns.get_mut(key).map(|c| &mut c.role) {
                    *dump = (!d.is_finished()).then_some(d);
                }
            }
            Outcome::Nothing => {}
        }
    }
}

/// What continuing a connection's dump did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DumpStep {
    /// No dump, or it queued nothing.
    Idle,
    /// The dump waits for the reader to drain its receive buffer.
    Waits,
    /// A datagram was queued.
    Queued,
}

/// `netlink_recvmsg` → `netlink_dump`: the next datagram of connection `key`'s dump, once
/// its receive buffer has drained to half (`rmem_alloc <= rcvbuf / 2`) and if the datagram
/// fits.
pub(super) fn netlink_dump(kernel: &Kernel, nl: &mut NetlinkTable, key: usize) -> DumpStep {
    let Some(c) = nl.conns.get_mut(key) else {
        return DumpStep::Idle;
    };
    let Role::Data {
        sock,
        dump: Some(_),
    } = &c.role
    else {
        return DumpStep::Idle;
    };
    let ctx = sock.ctx();
    let charged = rcvbuf::dump_truesize(ctx.max_recvmsg_len);
    refresh_rmem(c, charged);
    if !(c.rb.dump_may_continue() && c.rb.dump_admits(charged)) {
        return DumpStep::Waits;
    }
    let Role::Data { dump: Some(d), .. } = &mut c.role else {
        return DumpStep::Idle;
    };
    let chunk = d.next_chunk(kernel, &ctx);
    if d.is_finished() {
        if let Role::Data { dump, .. } = &mut c.role {
            *dump = None;
        }
    }
    match chunk {
        Some(chunk) => {
            nl.queue_dump(kernel, key, ctx.netns, chunk, charged);
            DumpStep::Queued
        }
        None => DumpStep::Idle,
    }
}
