//! Link dumps produced lazily, one datagram at a time, as `netlink_dump` does: each call fills
//! up to NLMSG_GOODSIZE (at least one message), and NLMSG_DONE comes in a datagram of its own.

use super::ctx::SockCtx;
use super::fill;
use super::msgtype::IFINFOMSG_LEN;
use crate::wire::ack::{encode_done, ExtAck};
use crate::wire::attrs::Attrs;
use crate::wire::consts::{NLM_F_DUMP_FILTERED, NLM_F_DUMP_INTR, NLM_F_MULTI};
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::tables;
use crate::wire::raw::RawMessage;
use kernel_model::uapi::errno;
use kernel_model::{Kernel, Kind, NetnsId};
use netlink_packet_route::RouteNetlinkMessage;

/// `NLMSG_GOODSIZE` on x86_64: a page minus `struct skb_shared_info`.
pub const NLMSG_GOODSIZE: usize = 3776;

/// `tb[IFLA_EXT_MASK]` of a GETLINK request (0 when absent).
pub fn ext_mask_in(tb: &Attrs<'_>) -> u32 {
    tb.u32(tables::IFLA_EXT_MASK).unwrap_or(0)
}

#[derive(Debug, Clone)]
pub struct LinkDump {
    pub seq: u32,
    pub portid: u32,
    pub netns: NetnsId,
    /// `ctx->ifindex`: where `for_each_netdev_dump` resumes.
    next_ifindex: u32,
    /// IFLA_MASTER filter (`link_master_filtered`).
    master: Option<u32>,
    /// IFLA_LINKINFO kind filter (`link_kind_filtered`); `Some(None)` is a kind without
    /// devices in the model.
    kind: Option<Option<Kind>>,
    flags: u16,
    /// IFLA_EXT_MASK.
    ext_mask: u32,
    /// An AF_BRIDGE dump (`rtnl_bridge_getlink`): one message per bridge port.
    bridge_ports: bool,
    /// `cb->prev_seq` for `nl_dump_check_consistent`.
    prev_seq: Option<u32>,
    intr: bool,
    finished: bool,
}

impl LinkDump {
    /// `rtnl_valid_dump_ifinfo_req` and the attribute loop of `rtnl_dump_ifinfo`.
    pub fn start(msg: &RawMessage<'_>, sock: &SockCtx) -> Result<Self, (i32, ExtAck)> {
        let mut d = LinkDump {
            seq: msg.header.seq,
            portid: sock.portid,
            netns: sock.netns,
            next_ifindex: 0,
            master: None,
            kind: None,
            flags: NLM_F_MULTI,
            ext_mask: 0,
            bridge_ports: false,
            prev_seq: None,
            intr: false,
            finished: false,
        };
        let payload = msg.payload();
        if payload.first() == Some(&super::msgtype::AF_BRIDGE) {
            return Self::start_bridge(d, msg, sock);
        }
        let fail = |m: &str| {
            (
                errno::EINVAL,
                ExtAck {
                    msg: Some(m.to_string()),
                    ..ExtAck::default()
                },
            )
        };
        if payload.len() < IFINFOMSG_LEN {
            if sock.strict_chk {
                return Err(fail("Invalid header for link dump"));
            }
            // Legacy rtgenmsg request: walk everything, unfiltered.
            return Ok(d);
        }
        if sock.strict_chk {
            if payload[1] != 0 || payload[2..4] != [0, 0] || payload[8..16].iter().any(|b| *b != 0)
            {
                return Err(fail("Invalid values in header for link dump request"));
            }
            if payload[4..8].iter().any(|b| *b != 0) {
                return Err(fail("Filter by device index not supported for link dumps"));
            }
        }
        let mode = if sock.strict_chk {
            ValidateMode::DeprecatedStrict
        } else {
            ValidateMode::Liberal
        };
        let tb = match nlattr::parse(msg.bytes, IFINFOMSG_LEN, &tables::IFLA_POLICY, mode) {
            Ok((tb, _)) => tb,
            Err(e) if sock.strict_chk => return Err((e.errno, e.extack)),
            Err(_) => return Ok(d),
        };
        // rtnl_dump_ifinfo: `for (i = 0; i <= IFLA_MAX; ++i) if (tb[i]) switch (i)`.
        for a in tb.by_type() {
            match a.kind {
                tables::IFLA_EXT_MASK => d.ext_mask = ext_mask_in(&tb),
                tables::IFLA_MASTER => {
                    if let Some(v) = a.value.get(..4) {
                        let m = u32::from_ne_bytes([v[0], v[1], v[2], v[3]]);
                        d.master = (m != 0).then_some(m);
                    }
                }
                tables::IFLA_LINKINFO => {
                    // linkinfo_to_kind_ops: an unknown kind means no filter at all.
                    // (nla_parse_nested_deprecated with ifla_info_policy and no extack).
                    let info = nlattr::parse_nest(
                        msg.bytes,
                        &a,
                        &tables::IFLA_INFO_POLICY,
                        ValidateMode::Liberal,
                    );
                    if let Ok((info, _)) = info {
                        if let Ok(Some(name)) = info.str(tables::IFLA_INFO_KIND) {
                            if let Some(kind) = Kind::from_rtnl_kind(&name) {
                                d.kind = Some(Some(kind));
                            }
                        }
                    }
                }
                tables::IFLA_TARGET_NETNSID => {
                    return Err((
                        errno::EOPNOTSUPP,
                        ExtAck {
                            msg: Some("nlsim: IFLA_TARGET_NETNSID not modelled".into()),
                            ..ExtAck::default()
                        },
                    ));
                }
                _ if sock.strict_chk => {
                    return Err(fail("Unsupported attribute in link dump request"))
                }
                _ => {}
            }
        }
        if d.master.is_some() || d.kind.is_some() {
            d.flags |= NLM_F_DUMP_FILTERED;
        }
        Ok(d)
    }

    /// `rtnl_bridge_getlink` / `valid_bridge_getlink_req`: IFLA_EXT_MASK selects the VLAN
    /// lists (RTEXT_FILTER_BRVLAN / _COMPRESSED) and MRP / CFM / MST data; the model never has
    /// MRP, CFM or MST enabled, for which `br_fill_ifinfo` adds nothing. Without strict
    /// checking a request that fails to parse dumps unfiltered.
    fn start_bridge(
        mut d: Self,
        msg: &RawMessage<'_>,
        sock: &SockCtx,
    ) -> Result<Self, (i32, ExtAck)> {
        d.bridge_ports = true;
        let fail = |m: &str| (errno::EINVAL, ExtAck::msg(m));
        let payload = msg.payload();
        let mode = if sock.strict_chk {
            if payload.len() < IFINFOMSG_LEN {
                return Err(fail("Invalid header for bridge link dump"));
            }
            if payload[1] != 0 || payload[2..16].iter().any(|b| *b != 0) {
                return Err(fail(
                    "Invalid values in header for bridge link dump request",
                ));
            }
            ValidateMode::DeprecatedStrict
        } else {
            ValidateMode::Liberal
        };
        let tb = match nlattr::parse(msg.bytes, IFINFOMSG_LEN, &tables::IFLA_POLICY, mode) {
            Ok((tb, _)) => tb,
            Err(e) if sock.strict_chk => return Err((e.errno, e.extack)),
            Err(_) => return Ok(d),
        };
        for a in tb.by_type() {
            match a.kind {
                tables::IFLA_EXT_MASK => d.ext_mask = ext_mask_in(&tb),
                _ if sock.strict_chk => {
                    return Err(fail("Unsupported attribute in bridge link dump request"))
                }
                _ => {}
            }
        }
        Ok(d)
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// One datagram of the dump, or None once NLMSG_DONE has been produced.
    pub fn next_chunk(&mut self, k: &Kernel, sock: &SockCtx) -> Option<Vec<u8>> {
        if self.finished {
            return None;
        }
        // nl_dump_check_consistent: the namespace changed since the previous round, so the
        // first message of this round carries NLM_F_DUMP_INTR (and so will NLMSG_DONE).
        let seq_now = k.dev_base_seq(self.netns);
        let changed = self.prev_seq.is_some_and(|p| p != seq_now);
        self.intr |= changed;
        self.prev_seq = Some(seq_now);
        // netlink_dump: the round's buffer is NLMSG_GOODSIZE, or the reader's larger buffer.
        let limit = NLMSG_GOODSIZE.max(sock.max_recvmsg_len);
        let mut out = Vec::new();
        let mut count = 0usize;
        let mut next = self.next_ifindex;
        for dev in k.devices_from(self.netns, self.next_ifindex) {
            next = dev.ifindex + 1;
            if let Some(m) = self.master {
                let dm = dev.master.map(|id| k.dev(id).ifindex);
                // master_idx -1 (all ones) asks for devices without a master.
                let keep = if m == u32::MAX {
                    dm.is_none()
                } else {
                    dm == Some(m)
                };
                if !keep {
                    continue;
                }
            }
            if let Some(kind) = self.kind {
                // link_kind_filtered compares rtnl_link_ops: tun and tap devices share theirs.
                let ops_kind = |k: Kind| k.ops().rtnl_kind();
                if kind.and_then(ops_kind) != ops_kind(dev.kind) || ops_kind(dev.kind).is_none() {
                    continue;
                }
            }
            let view = k.fill(dev.id);
            let mut flags = self.flags;
            if changed && count == 0 {
                flags |= NLM_F_DUMP_INTR;
            }
            let before = out.len();
            if self.bridge_ports {
                // rtnl_bridge_getlink: the master's br_getlink for a bridge port, then the
                // device's own (a bridge answers for itself with a VLAN filter).
                let port = super::bridge_link::encode_port_message(
                    &view,
                    kernel_model::LinkMsg::New,
                    flags,
                    self.seq,
                    self.portid,
                    self.ext_mask,
                );
                let own = super::bridge_link::encode_bridge_self_message(
                    &view,
                    flags,
                    self.seq,
                    self.portid,
                    self.ext_mask,
                );
                if port.is_none() && own.is_none() {
                    continue;
                }
                for b in port.into_iter().chain(own) {
                    out.extend_from_slice(&b);
                }
            } else {
                let body = fill::encode_link_message_masked(&view, 0, 0, self.ext_mask);
                fill::emit_into(
                    &mut out,
                    RouteNetlinkMessage::NewLink(body),
                    flags,
                    self.seq,
                    self.portid,
                );
            }
            // The round is full: this message opens the next one (the kernel's skb had no room).
            if count > 0 && out.len() > limit {
                out.truncate(before);
                next = dev.ifindex;
                break;
            }
            count += 1;
        }
        self.next_ifindex = next;
        if count > 0 {
            return Some(out);
        }
        self.finished = true;
        let mut flags = NLM_F_MULTI;
        if self.intr {
            flags |= NLM_F_DUMP_INTR;
        }
        Some(encode_done(
            self.seq,
            self.portid,
            flags,
            0,
            &ExtAck::default(),
            sock.ack,
        ))
    }
}

/// A dump whose messages were produced when it started (`rtnl_fdb_dump`'s lists are small),
/// handed out in rounds of NLMSG_GOODSIZE (or the reader's buffer) like `netlink_dump`.
#[derive(Debug, Clone)]
pub struct PreparedDump {
    seq: u32,
    portid: u32,
    msgs: std::collections::VecDeque<Vec<u8>>,
    /// A dump callback error: NLMSG_DONE carries it (`nlk->dump_done_errno`).
    error: Option<(i32, ExtAck)>,
    finished: bool,
}

impl PreparedDump {
    pub fn new(seq: u32, portid: u32, msgs: Vec<Vec<u8>>) -> Self {
        PreparedDump {
            seq,
            portid,
            msgs: msgs.into(),
            error: None,
            finished: false,
        }
    }

    pub fn failed(seq: u32, portid: u32, errno: i32, extack: ExtAck) -> Self {
        PreparedDump {
            seq,
            portid,
            msgs: Default::default(),
            error: Some((errno, extack)),
            finished: false,
        }
    }

    fn next_chunk(&mut self, sock: &SockCtx) -> Option<Vec<u8>> {
        if self.finished {
            return None;
        }
        let limit = NLMSG_GOODSIZE.max(sock.max_recvmsg_len);
        // The round's messages, measured first so that the datagram is allocated once.
        let mut size = 0;
        for m in &self.msgs {
            if size != 0 && size + m.len() > limit {
                break;
            }
            size += m.len();
        }
        let mut out = Vec::with_capacity(size);
        while let Some(m) = self.msgs.front() {
            if !out.is_empty() && out.len() + m.len() > limit {
                break;
            }
            if let Some(m) = self.msgs.pop_front() {
                out.extend_from_slice(&m);
            }
        }
        if !out.is_empty() {
            return Some(out);
        }
        self.finished = true;
        let (err, ext) = self
            .error
            .take()
            .map_or((0, ExtAck::default()), |(e, x)| (-e, x));
        Some(encode_done(
            self.seq,
            self.portid,
            NLM_F_MULTI,
            err,
            &ext,
            sock.ack,
        ))
    }
}

/// A running dump of one socket (`netlink_dump`).
#[derive(Debug, Clone)]
pub enum Dump {
    Link(LinkDump),
    Prepared(PreparedDump),
}

impl Dump {
    pub fn is_finished(&self) -> bool {
        match self {
            Dump::Link(d) => d.is_finished(),
            Dump::Prepared(d) => d.finished,
        }
    }

    /// One datagram of the dump, or None once NLMSG_DONE has been produced.
    pub fn next_chunk(&mut self, k: &Kernel, sock: &SockCtx) -> Option<Vec<u8>> {
        match self {
            Dump::Link(d) => d.next_chunk(k, sock),
            Dump::Prepared(d) => d.next_chunk(sock),
        }
    }
}
