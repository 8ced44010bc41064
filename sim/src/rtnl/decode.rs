//! RTM_*LINK requests decoded into [`LinkRequest`] from the request's `tb[]`
//! ([`Attrs`]), as `rtnl_newlink` / `do_setlink` read it; the kind's IFLA_INFO_DATA and
//! IFLA_INFO_SLAVE_DATA through its [`super::kinds`] entry. Also the namespace references a
//! request may carry.

use kernel_model::uapi::ifla;
use kernel_model::{
    AttrPath, Kernel, KernelError, KindData, LinkInfoRequest, LinkRequest, NetnsId, NewLinkFlags,
    PortData,
};

use super::ctx::{NsRef, NsResolve, SockCtx};
use super::kinds::{self, DecodeCtx};
use super::msgtype::{
    AF_BRIDGE, AF_INET6, IFINFOMSG_LEN, IFLA_INET6_ADDR_GEN_MODE, IFLA_INET6_TOKEN,
};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables::{self, IFLA_INFO_MAX};
use crate::wire::raw::{NlaIter, RawNla};

/// `RTM_NEWLINK`-family request flags from the netlink header.
pub fn newlink_flags(nlm_flags: u16) -> NewLinkFlags {
    use crate::wire::consts::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
    NewLinkFlags {
        create: nlm_flags & NLM_F_CREATE != 0,
        excl: nlm_flags & NLM_F_EXCL != 0,
        replace: nlm_flags & NLM_F_REPLACE != 0,
    }
}

/// The resolver for a request from `sock`: `crate::netns_ref`.
pub fn resolver<'a>(
    k: &'a Kernel,
    sock: &'a SockCtx,
) -> impl Fn(NsRef) -> Result<NetnsId, KernelError> + 'a {
    move |r| match r {
        NsRef::Pid(pid) => crate::netns_ref::by_pid(k, pid),
        NsRef::Fd(fd) => crate::netns_ref::by_fd(k, sock.pid, fd),
    }
}

/// `ifla_policy`'s maxtype (IFLA_MAX in 6.12).
fn ifla_max() -> u16 {
    tables::IFLA_POLICY.max_type()
}

/// The top-level `tb[]` of a link message (`nlmsg_parse_deprecated(.., IFLA_MAX, ..)`).
pub fn link_attrs<'a>(msg: &'a [u8]) -> Attrs<'a> {
    Attrs::of_message(msg, IFINFOMSG_LEN, ifla_max())
}

/// What the request says about the device it names, for `master_kind`: `DecodeCtx` for
/// IFLA_INFO_SLAVE_DATA, which the kernel parses with the policy of the device's master
/// (`m_ops->slave_policy`), whatever IFLA_INFO_SLAVE_KIND says.
pub struct LinkDecode<'a> {
    pub resolve: NsResolve<'a>,
    /// `rtnl_link_ops->kind` of the named device's master, if it has one.
    pub master_kind: Option<&'static str>,
    /// The tables the handler already parsed (RTM_NEWLINK's policy checks), read instead of
    /// walking those nests again.
    pub parsed: ParsedLinkInfo<'a>,
}

/// `rtnl_newlink`'s `linkinfo[]` and the kind's IFLA_INFO_DATA `tb[]`, as the policy checks
/// parsed them (empty when the handler parsed neither, e.g. RTM_SETLINK).
#[derive(Clone, Copy, Default)]
pub struct ParsedLinkInfo<'a> {
    pub linkinfo: Option<&'a Attrs<'a>>,
    pub data: Option<&'a Attrs<'a>>,
    /// A peer's `tb[]` (VETH_INFO_PEER, `rtnl_nla_parse_ifinfomsg`) and its nest's offset.
    pub peer: Option<(usize, &'a Attrs<'a>)>,
}

/// Decodes a link request message: its ifinfomsg and `tb`. `nlm_flags` are the netlink
/// header's flags; IFLA_NET_NS_PID / IFLA_NET_NS_FD are resolved by `ctx.resolve`.
pub fn decode_link(
    msg: &[u8],
    tb: &Attrs<'_>,
    nlm_flags: u16,
    ctx: &LinkDecode<'_>,
) -> Result<LinkRequest, DecodeError> {
    decode_ifinfo(msg, crate::wire::raw::attrs_start(0), tb, nlm_flags, ctx)
}

/// A link request nested in an attribute (VETH_INFO_PEER: an ifinfomsg then attributes,
/// `rtnl_nla_parse_ifinfomsg`).
pub fn decode_link_at(
    msg: &[u8],
    nest: &RawNla<'_>,
    nlm_flags: u16,
    resolve: NsResolve<'_>,
) -> Result<LinkRequest, DecodeError> {
    decode_nested_link(msg, nest, nlm_flags, resolve, None)
}

/// [`decode_link_at`] reading `parsed`, the nest's `tb[]`, when the handler already has it.
fn decode_nested_link(
    msg: &[u8],
    nest: &RawNla<'_>,
    nlm_flags: u16,
    resolve: NsResolve<'_>,
    parsed: Option<&Attrs<'_>>,
) -> Result<LinkRequest, DecodeError> {
    if nest.value.len() < IFINFOMSG_LEN {
        return Err(DecodeError {
            offset: nest.offset,
        });
    }
    let start = nest.value_offset();
    let walked;
    let tb = match parsed {
        Some(tb) => tb,
        None => {
            walked = Attrs::parse(
                msg,
                start + IFINFOMSG_LEN,
                start + nest.value.len(),
                ifla_max(),
            );
            &walked
        }
    };
    let ctx = LinkDecode {
        resolve,
        master_kind: None,
        parsed: ParsedLinkInfo::default(),
    };
    decode_ifinfo(msg, start, tb, nlm_flags, &ctx)
}

/// [`DecodeCtx::decode_peer`]: a peer carries no netlink header flags of its own.
fn decode_peer(
    msg: &[u8],
    nest: &RawNla<'_>,
    resolve: NsResolve<'_>,
    parsed: Option<&Attrs<'_>>,
) -> Result<LinkRequest, DecodeError> {
    decode_nested_link(msg, nest, 0, resolve, parsed)
}

/// `struct ifinfomsg` at `at`: (family, index, flags, change).
fn ifinfomsg(msg: &[u8], at: usize) -> (u8, i32, u32, u32) {
    let word = |o: usize| {
        msg.get(at + o..at + o + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u32::from_ne_bytes)
    };
    let family = msg.get(at).copied().unwrap_or(0);
    (family, word(4) as i32, word(8), word(12))
}

fn decode_ifinfo(
    msg: &[u8],
    ifi_at: usize,
    tb: &Attrs<'_>,
    nlm_flags: u16,
    ctx: &LinkDecode<'_>,
) -> Result<LinkRequest, DecodeError> {
    let (family, ifindex, ifi_flags, ifi_change) = ifinfomsg(msg, ifi_at);
    let mut r = LinkRequest {
        ifindex,
        ifi_flags,
        ifi_change,
        nlm: newlink_flags(nlm_flags),
        ..LinkRequest::default()
    };
    r.ifname = tb.str(ifla::IFNAME)?;
    r.mtu = tb.u32(ifla::MTU);
    r.address = tb.bytes(ifla::ADDRESS).map(<[u8]>::to_vec);
    r.broadcast = tb.bytes(ifla::BROADCAST).map(<[u8]>::to_vec);
    r.txqlen = tb.u32(ifla::TXQLEN);
    r.master = tb.u32(ifla::MASTER);
    r.link = tb.u32(ifla::LINK);
    r.group = tb.u32(ifla::GROUP);
    r.ifalias = ifalias(tb)?;
    r.num_tx_queues = tb.u32(ifla::NUM_TX_QUEUES);
    r.num_rx_queues = tb.u32(ifla::NUM_RX_QUEUES);
    r.operstate = tb.u8(ifla::OPERSTATE);
    r.linkmode = tb.u8(ifla::LINKMODE);
    r.carrier = tb.u8(ifla::CARRIER);
    r.gso_max_size = tb.u32(ifla::GSO_MAX_SIZE);
    r.gso_max_segs = tb.u32(ifla::GSO_MAX_SEGS);
    r.gro_max_size = tb.u32(ifla::GRO_MAX_SIZE);
    r.gso_ipv4_max_size = tb.u32(ifla::GSO_IPV4_MAX_SIZE);
    r.gro_ipv4_max_size = tb.u32(ifla::GRO_IPV4_MAX_SIZE);
    r.new_ifindex = tb.s32(ifla::NEW_IFINDEX);
    r.alt_ifname = tb.str(ifla::ALT_IFNAME)?;
    let mut unmodelled = Vec::new();
    if let Some(li) = tb.get(ifla::LINKINFO) {
        // A nest the walk finds nothing in leaves every linkinfo[] slot NULL: as without it.
        if NlaIter::nested(tb.msg(), &li).next().is_some() {
            let walked;
            let info = match ctx.parsed.linkinfo {
                Some(info) => info,
                None => {
                    walked = Attrs::of_nest(tb.msg(), &li, IFLA_INFO_MAX);
                    &walked
                }
            };
            r.linkinfo = Some(decode_linkinfo(info, ctx)?);
        }
    }
    for a in tb.iter() {
        let what = match a.kind {
            // Only tb[IFLA_AF_SPEC], the last one, is read.
            ifla::AF_SPEC => {
                if tb.get(ifla::AF_SPEC) == Some(a) {
                    decode_af_spec(tb.msg(), &a, family, &mut r, &mut unmodelled);
                }
                continue;
            }
            ifla::IFNAME
            | ifla::MTU
            | ifla::ADDRESS
            | ifla::BROADCAST
            | ifla::TXQLEN
            | ifla::MASTER
            | ifla::LINK
            | ifla::GROUP
            | ifla::IFALIAS
            | ifla::NUM_TX_QUEUES
            | ifla::NUM_RX_QUEUES
            | ifla::OPERSTATE
            | ifla::LINKMODE
            | ifla::CARRIER
            | ifla::GSO_MAX_SIZE
            | ifla::GSO_MAX_SEGS
            | ifla::GRO_MAX_SIZE
            | ifla::GSO_IPV4_MAX_SIZE
            | ifla::GRO_IPV4_MAX_SIZE
            | ifla::NEW_IFINDEX
            | ifla::ALT_IFNAME
            | ifla::LINKINFO
            | ifla::NET_NS_PID
            | ifla::NET_NS_FD => continue,
            // Read by GETLINK and dumps, ignored by the kernel on changes.
            tables::IFLA_EXT_MASK | tables::IFLA_STATS | tables::IFLA_STATS64 | ifla::QDISC => {
                continue
            }
            ifla::TARGET_NETNSID => "IFLA_TARGET_NETNSID".to_string(),
            kind => format!("link attribute {kind}"),
        };
        unmodelled.push((AttrPath::top(a.kind), what));
    }
    r.unmodelled = unmodelled;
    let ns_pid = tb.u32(ifla::NET_NS_PID);
    let ns_fd = tb.u32(ifla::NET_NS_FD);
    // rtnl_ensure_unique_netns
    r.net_ns_multiple = usize::from(ns_pid.is_some())
        + usize::from(ns_fd.is_some())
        + usize::from(tb.has(ifla::TARGET_NETNSID))
        > 1;
    // rtnl_link_get_net: IFLA_NET_NS_PID, else IFLA_NET_NS_FD.
    r.net_ns = match (ns_pid, ns_fd) {
        (Some(pid), _) => Some((ctx.resolve)(NsRef::Pid(pid))),
        (None, Some(fd)) => Some((ctx.resolve)(NsRef::Fd(fd))),
        (None, None) => None,
    };
    Ok(r)
}

/// IFLA_IFALIAS: `dev_set_alias` copies `nla_len` bytes (a trailing NUL is the C string's).
fn ifalias(tb: &Attrs<'_>) -> Result<Option<String>, DecodeError> {
    let Some(a) = tb.get(ifla::IFALIAS) else {
        return Ok(None);
    };
    let v = a.value.strip_suffix(&[0]).unwrap_or(a.value);
    std::str::from_utf8(v)
        .map(|s| Some(s.to_string()))
        .map_err(|_| DecodeError { offset: a.offset })
}

/// `do_setlink`'s IFLA_AF_SPEC walk (`nla_for_each_nested`, one nest per family): nlsim
/// models AF_INET6's IFLA_INET6_ADDR_GEN_MODE; everything else is refused.
fn decode_af_spec(
    msg: &[u8],
    af: &RawNla<'_>,
    family: u8,
    r: &mut LinkRequest,
    unmodelled: &mut Vec<(AttrPath, String)>,
) {
    let mut refuse = |what: &str| unmodelled.push((AttrPath::top(ifla::AF_SPEC), what.to_string()));
    if family == AF_BRIDGE {
        // An AF_BRIDGE message's IFLA_AF_SPEC holds bridge attributes (rtnl_bridge_setlink's).
        refuse(&format!("link attribute {}", ifla::AF_SPEC));
        return;
    }
    for f in NlaIter::nested(msg, af) {
        if f.kind != AF_INET6 {
            refuse("IFLA_AF_SPEC families other than AF_INET6");
            continue;
        }
        for a in NlaIter::nested(msg, &f) {
            match (a.kind, a.value.first()) {
                (IFLA_INET6_ADDR_GEN_MODE, Some(m)) => r.addr_gen_mode = Some(*m),
                (IFLA_INET6_TOKEN, _) => {
                    // nla_data(tb[IFLA_INET6_TOKEN]) read as a struct in6_addr; the
                    // policy (checked by validate_linkmsg) caps it at 16 bytes.
                    let mut t = [0u8; 16];
                    let n = a.value.len().min(16);
                    t[..n].copy_from_slice(&a.value[..n]);
                    r.inet6_token = Some(t);
                }
                _ => refuse("IFLA_AF_SPEC AF_INET6 attributes other than token and addrgenmode"),
            }
        }
    }
}

/// What an IFLA_LINKINFO nest asks for (`rtnl_newlink`'s `linkinfo[]`).
fn decode_linkinfo(info: &Attrs<'_>, ctx: &LinkDecode<'_>) -> Result<LinkInfoRequest, DecodeError> {
    let kind = info.str(tables::IFLA_INFO_KIND)?;
    let slave_kind = info.str(tables::IFLA_INFO_SLAVE_KIND)?;
    let kctx = DecodeCtx {
        resolve: ctx.resolve,
        decode_peer_fn: decode_peer,
        peer: ctx.parsed.peer,
    };
    // rtnl_link_ops_get(kind): unknown kinds' data is opaque.
    let data = match info.get(tables::IFLA_INFO_DATA) {
        None => None,
        Some(nest) => Some(
            match kind.as_deref().and_then(|k| kinds::lookup(k.as_bytes())) {
                Some(w) => match w.decode {
                    Some(decode) => match ctx.parsed.data {
                        Some(data) => decode(data, &kctx)?,
                        None => {
                            decode(&Attrs::of_nest(info.msg(), &nest, w.data_maxtype()), &kctx)?
                        }
                    },
                    None => KindData::opaque(),
                },
                None => KindData::opaque(),
            },
        ),
    };
    // The master's ops decide (m_ops->slave_policy); without a master, the slave kind named.
    let slave_data = match info.get(tables::IFLA_INFO_SLAVE_DATA) {
        None => None,
        Some(nest) => {
            let wire = ctx
                .master_kind
                .map(str::as_bytes)
                .or(slave_kind.as_deref().map(str::as_bytes))
                .and_then(kinds::lookup);
            Some(match wire {
                Some(w) => match w.decode_slave {
                    Some(decode) => decode(&Attrs::of_nest(info.msg(), &nest, w.slave_maxtype()))?,
                    None => PortData::opaque(),
                },
                None => PortData::opaque(),
            })
        }
    };
    Ok(LinkInfoRequest {
        kind,
        data,
        slave_kind,
        slave_data,
    })
}
