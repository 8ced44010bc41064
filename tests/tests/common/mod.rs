//! Helpers shared by the integration tests: a simulator, a raw netlink client that builds
//! requests the way iproute2 does, and decoding of replies (errno + extack).
#![allow(dead_code)]

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL,
    NLM_F_REQUEST,
};
use netlink_packet_route::link::{
    InfoData, InfoKind, InfoVeth, LinkAttribute, LinkFlags, LinkInfo, LinkMessage,
};
use netlink_packet_route::RouteNetlinkMessage;
use nlsim::{Sim, SimSocket};

pub const IFF_UP: u32 = 1;

/// A simulator like the cross-check's guests: netdevsim device 1 with three ports (eth0..eth2).
pub fn sim_with_nics(ports: u32) -> Sim {
    Sim::builder()
        .seed(42)
        .netdevsim(1, ports)
        .start()
        .expect("start simulator")
}

/// What the kernel answered to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// 0 or a positive errno.
    pub errno: i32,
    /// NLMSGERR_ATTR_MSG.
    pub msg: Option<String>,
    /// NLMSGERR_ATTR_OFFS.
    pub offs: Option<u32>,
    /// Non-error messages received before the ACK / DONE.
    pub messages: Vec<NetlinkMessage<RouteNetlinkMessage>>,
}

impl Answer {
    pub fn ok(&self) -> bool {
        self.errno == 0
    }
    pub fn links(&self) -> Vec<LinkMessage> {
        self.messages
            .iter()
            .filter_map(|m| match &m.payload {
                NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewLink(l)) => Some(l.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Splits the TLVs after an NLMSG_ERROR's echoed request.
fn parse_extack(raw: &[u8], flags: u16) -> (Option<String>, Option<u32>) {
    // raw = whole error message bytes.
    if flags & 0x200 == 0 || raw.len() < 36 {
        return (None, None);
    }
    let echoed_len = u32::from_ne_bytes([raw[20], raw[21], raw[22], raw[23]]) as usize;
    let mut pos = if flags & 0x100 != 0 {
        36
    } else {
        20 + ((echoed_len + 3) & !3)
    };
    let (mut msg, mut offs) = (None, None);
    while pos + 4 <= raw.len() {
        let len = u16::from_ne_bytes([raw[pos], raw[pos + 1]]) as usize;
        let kind = u16::from_ne_bytes([raw[pos + 2], raw[pos + 3]]);
        if len < 4 || pos + len > raw.len() {
            break;
        }
        let v = &raw[pos + 4..pos + len];
        match kind {
            1 => {
                msg = Some(
                    String::from_utf8_lossy(v.split(|b| *b == 0).next().unwrap_or(&[]))
                        .into_owned(),
                )
            }
            2 if v.len() >= 4 => offs = Some(u32::from_ne_bytes([v[0], v[1], v[2], v[3]])),
            _ => {}
        }
        pos += (len + 3) & !3;
    }
    (msg, offs)
}

/// A netlink socket with NETLINK_EXT_ACK on, like iproute2's.
pub struct Client {
    pub sock: SimSocket,
    seq: u32,
}

impl Client {
    pub fn new(sim: &Sim) -> Client {
        let sock = sim.connect().expect("connect");
        sock.set_ext_ack(true).expect("ext ack");
        Client { sock, seq: 1000 }
    }

    /// Sends one request and collects everything up to its ACK/ERROR (or DONE for dumps).
    pub fn request(&mut self, msg: RouteNetlinkMessage, flags: u16) -> Answer {
        self.seq += 1;
        let mut h = NetlinkHeader::default();
        h.flags = flags;
        h.sequence_number = self.seq;
        let mut m = NetlinkMessage::new(h, NetlinkPayload::InnerMessage(msg));
        m.finalize();
        let mut buf = vec![0; m.buffer_len()];
        m.serialize(&mut buf);
        self.request_raw(
            &buf,
            flags & NLM_F_DUMP == NLM_F_DUMP || flags & NLM_F_ACK == 0,
        )
    }

    /// Sends raw bytes; reads until an NLMSG_ERROR (or DONE when `dump`).
    pub fn request_raw(&mut self, bytes: &[u8], dump_or_noack: bool) -> Answer {
        self.sock.send(bytes).expect("send");
        let mut messages = Vec::new();
        loop {
            let dgram = match self
                .sock
                .recv_timeout(if dump_or_noack { 500 } else { 5000 })
            {
                Ok(d) => d,
                Err(_) if dump_or_noack => {
                    return Answer {
                        errno: 0,
                        msg: None,
                        offs: None,
                        messages,
                    }
                }
                Err(e) => panic!("no answer: {e}"),
            };
            let mut pos = 0;
            while pos + 16 <= dgram.len() {
                let len = u32::from_ne_bytes([
                    dgram[pos],
                    dgram[pos + 1],
                    dgram[pos + 2],
                    dgram[pos + 3],
                ]) as usize;
                let kind = u16::from_ne_bytes([dgram[pos + 4], dgram[pos + 5]]);
                let flags = u16::from_ne_bytes([dgram[pos + 6], dgram[pos + 7]]);
                let raw = &dgram[pos..pos + len];
                pos += (len + 3) & !3;
                match kind {
                    2 => {
                        let code = i32::from_ne_bytes([raw[16], raw[17], raw[18], raw[19]]);
                        let (msg, offs) = parse_extack(raw, flags);
                        return Answer {
                            errno: -code,
                            msg,
                            offs,
                            messages,
                        };
                    }
                    3 => {
                        return Answer {
                            errno: 0,
                            msg: None,
                            offs: None,
                            messages,
                        }
                    }
                    _ => messages.push(
                        NetlinkMessage::<RouteNetlinkMessage>::deserialize(raw)
                            .expect("parse reply"),
                    ),
                }
            }
        }
    }

    pub fn dump_links(&mut self) -> Vec<LinkMessage> {
        let a = self.request(
            RouteNetlinkMessage::GetLink(LinkMessage::default()),
            NLM_F_REQUEST | NLM_F_DUMP,
        );
        assert!(a.ok(), "{a:?}");
        a.links()
    }

    pub fn get_link(&mut self, name: &str) -> Option<LinkMessage> {
        let mut m = LinkMessage::default();
        m.attributes.push(LinkAttribute::IfName(name.into()));
        // With NLM_F_ACK the reply is followed by an ACK, so no read timeout is needed.
        let a = self.request(RouteNetlinkMessage::GetLink(m), NLM_F_REQUEST | NLM_F_ACK);
        a.links().into_iter().next()
    }

    /// `ip link add NAME [attrs] type KIND`.
    pub fn add(
        &mut self,
        name: Option<&str>,
        kind: &str,
        attrs: Vec<LinkAttribute>,
        data: Option<InfoData>,
    ) -> Answer {
        let mut m = LinkMessage::default();
        if let Some(n) = name {
            m.attributes.push(LinkAttribute::IfName(n.into()));
        }
        m.attributes.extend(attrs);
        let mut info = vec![LinkInfo::Kind(InfoKind::from(kind))];
        if let Some(d) = data {
            info.push(LinkInfo::Data(d));
        }
        m.attributes.push(LinkAttribute::LinkInfo(info));
        self.request(
            RouteNetlinkMessage::NewLink(m),
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        )
    }

    pub fn add_simple(&mut self, name: &str, kind: &str) -> Answer {
        self.add(Some(name), kind, vec![], None)
    }

    /// `ip link add A type veth peer name B`.
    pub fn add_veth(&mut self, a: &str, b: &str) -> Answer {
        let mut peer = LinkMessage::default();
        peer.attributes.push(LinkAttribute::IfName(b.into()));
        self.add(
            Some(a),
            "veth",
            vec![],
            Some(InfoData::Veth(InfoVeth::Peer(peer))),
        )
    }

    pub fn index(&mut self, name: &str) -> u32 {
        self.get_link(name)
            .unwrap_or_else(|| panic!("no device {name}"))
            .header
            .index
    }

    /// `ip link set dev NAME ...`: RTM_NEWLINK on the device's index, like iproute2.
    pub fn set(
        &mut self,
        name: &str,
        attrs: Vec<LinkAttribute>,
        flags: Option<(u32, u32)>,
    ) -> Answer {
        let mut m = LinkMessage::default();
        m.header.index = self.index(name);
        if let Some((f, c)) = flags {
            m.header.flags = LinkFlags::from_bits_retain(f);
            m.header.change_mask = LinkFlags::from_bits_retain(c);
        }
        m.attributes = attrs;
        self.request(RouteNetlinkMessage::NewLink(m), NLM_F_REQUEST | NLM_F_ACK)
    }

    pub fn up(&mut self, name: &str) -> Answer {
        self.set(name, vec![], Some((IFF_UP, IFF_UP)))
    }
    pub fn down(&mut self, name: &str) -> Answer {
        self.set(name, vec![], Some((0, IFF_UP)))
    }
    pub fn master(&mut self, name: &str, master: &str) -> Answer {
        let idx = self.index(master);
        self.set(name, vec![LinkAttribute::Controller(idx)], None)
    }
    pub fn nomaster(&mut self, name: &str) -> Answer {
        self.set(name, vec![LinkAttribute::Controller(0)], None)
    }
    pub fn mtu(&mut self, name: &str, mtu: u32) -> Answer {
        self.set(name, vec![LinkAttribute::Mtu(mtu)], None)
    }
    pub fn address(&mut self, name: &str, mac: [u8; 6]) -> Answer {
        self.set(name, vec![LinkAttribute::Address(mac.to_vec())], None)
    }
    pub fn rename(&mut self, name: &str, new: &str) -> Answer {
        self.set(name, vec![LinkAttribute::IfName(new.into())], None)
    }
    /// `ip link del NAME`: RTM_DELLINK by index.
    pub fn del(&mut self, name: &str) -> Answer {
        let mut m = LinkMessage::default();
        m.header.index = self.index(name);
        self.request(RouteNetlinkMessage::DelLink(m), NLM_F_REQUEST | NLM_F_ACK)
    }
}

/// Attribute helpers on a link message.
pub trait LinkExt {
    fn attr<T>(&self, f: impl Fn(&LinkAttribute) -> Option<T>) -> Option<T>;
    fn name(&self) -> String;
    fn mtu(&self) -> u32;
    fn operstate(&self) -> netlink_packet_route::link::State;
    fn master(&self) -> Option<u32>;
    fn mac(&self) -> Vec<u8>;
    fn flags(&self) -> u32;
    fn promiscuity(&self) -> u32;
}

impl LinkExt for LinkMessage {
    fn attr<T>(&self, f: impl Fn(&LinkAttribute) -> Option<T>) -> Option<T> {
        self.attributes.iter().find_map(f)
    }
    fn name(&self) -> String {
        self.attr(|a| {
            if let LinkAttribute::IfName(n) = a {
                Some(n.clone())
            } else {
                None
            }
        })
        .unwrap_or_default()
    }
    fn mtu(&self) -> u32 {
        self.attr(|a| {
            if let LinkAttribute::Mtu(n) = a {
                Some(*n)
            } else {
                None
            }
        })
        .unwrap_or_default()
    }
    fn operstate(&self) -> netlink_packet_route::link::State {
        self.attr(|a| {
            if let LinkAttribute::OperState(n) = a {
                Some(*n)
            } else {
                None
            }
        })
        .expect("operstate")
    }
    fn master(&self) -> Option<u32> {
        self.attr(|a| {
            if let LinkAttribute::Controller(n) = a {
                Some(*n)
            } else {
                None
            }
        })
    }
    fn mac(&self) -> Vec<u8> {
        self.attr(|a| {
            if let LinkAttribute::Address(n) = a {
                Some(n.clone())
            } else {
                None
            }
        })
        .unwrap_or_default()
    }
    fn flags(&self) -> u32 {
        self.header.flags.bits()
    }
    fn promiscuity(&self) -> u32 {
        self.attr(|a| {
            if let LinkAttribute::Promiscuity(n) = a {
                Some(*n)
            } else {
                None
            }
        })
        .unwrap_or_default()
    }
}
