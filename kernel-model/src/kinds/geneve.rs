//! geneve (drivers/net/geneve.c, Debian 6.12.117): configuration (`geneve_nl2info`), the device
//! table (`geneve_find_dev`: VNI, destination port and remote make a device's identity; one
//! externally controlled device per port), the MTU range (`geneve_setup`, `geneve_configure`)
//! and the attributes changelink refuses to change.
//!
//! Sockets are not modelled (no traffic): `geneve_open` cannot fail here. The device list
//! `gn->geneve_list` of a namespace is the set of geneve devices whose `geneve->net` it is: the
//! requester's namespace at creation (`geneve_newlink`'s `net` is rtnl_newlink's `src_net`, not
//! the IFLA_NET_NS_* target), kept when the device moves (TUNNEL-NETNS). `geneve_link_ops` has
//! no `get_link_net`: no IFLA_LINK_NETNSID. Destroying `geneve->net` deletes the device
//! wherever it is (`geneve_destroy_tunnels`, see `Kernel::netns_destroy`).

use super::gre::{ip_route_output, ipv6_addr_type};
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, AttrPath, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::Kernel;
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv};
use crate::request::{KindData, LinkRequest};
use crate::uapi::{arphrd, errno, iff, ifla, ETH_ALEN, ETH_MIN_MTU};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IFLA_GENEVE_* numbers used in extack attribute paths.
pub mod attr {
    pub const ID: u16 = 1;
    pub const REMOTE: u16 = 2;
    pub const PORT: u16 = 5;
    pub const COLLECT_METADATA: u16 = 6;
    pub const REMOTE6: u16 = 7;
    pub const UDP_CSUM: u16 = 8;
    pub const UDP_ZERO_CSUM6_TX: u16 = 9;
    pub const UDP_ZERO_CSUM6_RX: u16 = 10;
    pub const LABEL: u16 = 11;
    pub const DF: u16 = 13;
    pub const INNER_PROTO_INHERIT: u16 = 14;
}

/// `GENEVE_UDP_PORT`.
pub const GENEVE_UDP_PORT: u16 = 6081;
/// `GENEVE_N_VID`.
pub const GENEVE_N_VID: u32 = 1 << 24;
/// `GENEVE_DF_MAX`.
pub const GENEVE_DF_MAX: u8 = 2;
/// `IP_MAX_MTU - GENEVE_BASE_HLEN - ETH_HLEN`: the max MTU `geneve_setup` gives.
const SETUP_MAX_MTU: u32 = 0xffff - 16 - 14;
/// `GENEVE_IPV4_HLEN` / `GENEVE_IPV6_HLEN`.
const GENEVE_IPV4_HLEN: i64 = 14 + 20 + 16;
const GENEVE_IPV6_HLEN: i64 = 14 + 40 + 16;
/// `IPV6_FLOWLABEL_MASK` (host order).
const IPV6_FLOWLABEL_MASK: u32 = 0x000f_ffff;

const CHANGE_NOTSUP: &str = "Changing VNI, Port, endpoint IP address family, external, \
inner_proto_inherit, and UDP checksum attributes are not supported";

/// IFLA_INFO_DATA of kind "geneve" (`geneve_policy`); label and port in host order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneveData {
    pub id: Option<u32>,
    pub remote: Option<Ipv4Addr>,
    pub remote6: Option<Ipv6Addr>,
    pub ttl: Option<u8>,
    pub tos: Option<u8>,
    pub port: Option<u16>,
    pub collect_metadata: bool,
    pub udp_csum: Option<u8>,
    pub udp_zero_csum6_tx: Option<u8>,
    pub udp_zero_csum6_rx: Option<u8>,
    pub label: Option<u32>,
    pub ttl_inherit: Option<u8>,
    pub df: Option<u8>,
    pub inner_proto_inherit: bool,
}

/// `struct geneve_config` (with the `ip_tunnel_info` key it carries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneveConf {
    pub vni: u32,
    /// `info.mode & IP_TUNNEL_INFO_IPV6`.
    pub ipv6: bool,
    pub remote4: Ipv4Addr,
    pub remote6: Ipv6Addr,
    pub ttl: u8,
    pub tos: u8,
    pub label: u32,
    pub port: u16,
    /// IP_TUNNEL_CSUM_BIT of `info.key.tun_flags`.
    pub csum: bool,
    pub collect_md: bool,
    pub use_udp6_rx_checksums: bool,
    pub ttl_inherit: bool,
    pub df: u8,
    pub inner_proto_inherit: bool,
    /// `geneve->net` (`geneve_configure`): the list the device is on; `None` in states saved
    /// before namespaces existed (then the device's own).
    #[serde(default)]
    pub net: Option<NetnsId>,
}

impl GeneveConf {
    /// `geneve_newlink`'s defaults and `init_tnl_info`.
    fn new() -> Self {
        GeneveConf {
            vni: 0,
            ipv6: false,
            remote4: Ipv4Addr::UNSPECIFIED,
            remote6: Ipv6Addr::UNSPECIFIED,
            ttl: 0,
            tos: 0,
            label: 0,
            port: GENEVE_UDP_PORT,
            csum: false,
            collect_md: false,
            use_udp6_rx_checksums: false,
            ttl_inherit: false,
            df: 0,
            inner_proto_inherit: false,
            net: None,
        }
    }

    /// `info->key.u` as `geneve_find_dev` compares it: `ipv4.dst` sits at offset 4 of the
    /// union, `ipv6.dst` at offset 16 (the sources are always zero).
    fn key_u(&self) -> [u8; 32] {
        let mut u = [0u8; 32];
        u[4..8].copy_from_slice(&self.remote4.octets());
        u[16..32].copy_from_slice(&self.remote6.octets());
        u
    }

    fn remote(&self) -> IpAddr {
        if self.ipv6 {
            IpAddr::V6(self.remote6)
        } else {
            IpAddr::V4(self.remote4)
        }
    }
}

/// What `geneve_fill_info` reports.
pub type GeneveInfo = GeneveConf;

pub struct GeneveOps;

/// `geneve->net` of a geneve device.
pub(crate) fn geneve_net(d: &NetDevice) -> NetnsId {
    state(d).and_then(|c| c.net).unwrap_or(d.netns)
}

fn state(d: &NetDevice) -> Option<&GeneveConf> {
    d.state.downcast_ref::<GeneveConf>()
}

fn data_of(req: &LinkRequest) -> Option<&GeneveData> {
    req.linkinfo
        .as_ref()?
        .data
        .as_ref()?
        .downcast_ref::<GeneveData>()
}

fn change_notsup(attr: u16) -> KernelError {
    KernelError::new(errno::EOPNOTSUPP)
        .msg(CHANGE_NOTSUP)
        .attr(AttrPath::info_data(attr))
}

/// `geneve_nl2info` (GENEVE-CHANGE for `changelink`).
fn nl2info(data: &GeneveData, cfg: &mut GeneveConf, changelink: bool) -> KResult<()> {
    if data.remote.is_some() && data.remote6.is_some() {
        return Err(KernelError::new(errno::EINVAL)
            .msg("Cannot specify both IPv4 and IPv6 Remote addresses"));
    }
    if let Some(r) = data.remote {
        if changelink && cfg.ipv6 {
            return Err(change_notsup(attr::REMOTE));
        }
        cfg.remote4 = r;
        if r.is_multicast() {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Remote IPv4 address cannot be Multicast")
                .attr(AttrPath::info_data(attr::REMOTE)));
        }
    }
    if let Some(r) = data.remote6 {
        if changelink && !cfg.ipv6 {
            return Err(change_notsup(attr::REMOTE6));
        }
        cfg.ipv6 = true;
        cfg.remote6 = r;
        // IPV6_ADDR_LINKLOCAL (also set for link-local multicast), then multicast.
        if ipv6_addr_type(&r) & 0x0020 != 0 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Remote IPv6 address cannot be link-local")
                .attr(AttrPath::info_data(attr::REMOTE6)));
        }
        if r.is_multicast() {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Remote IPv6 address cannot be Multicast")
                .attr(AttrPath::info_data(attr::REMOTE6)));
        }
        cfg.csum = true;
        cfg.use_udp6_rx_checksums = true;
    }
    if let Some(vni) = data.id {
        if changelink && vni != cfg.vni {
            return Err(change_notsup(attr::ID));
        }
        cfg.vni = vni;
    }
    if let Some(v) = data.ttl_inherit {
        cfg.ttl_inherit = v != 0;
    } else if let Some(v) = data.ttl {
        cfg.ttl = v;
        cfg.ttl_inherit = false;
    }
    if let Some(v) = data.tos {
        cfg.tos = v;
    }
    if let Some(v) = data.df {
        cfg.df = v;
    }
    if let Some(v) = data.label {
        cfg.label = v & IPV6_FLOWLABEL_MASK;
        if cfg.label != 0 && !cfg.ipv6 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Label attribute only applies for IPv6 Geneve devices")
                .attr(AttrPath::info_data(attr::LABEL)));
        }
    }
    if let Some(p) = data.port {
        if changelink {
            return Err(change_notsup(attr::PORT));
        }
        cfg.port = p;
    }
    if data.collect_metadata {
        if changelink {
            return Err(change_notsup(attr::COLLECT_METADATA));
        }
        cfg.collect_md = true;
    }
    if let Some(v) = data.udp_csum {
        if changelink {
            return Err(change_notsup(attr::UDP_CSUM));
        }
        if v != 0 {
            cfg.csum = true;
        }
    }
    if let Some(v) = data.udp_zero_csum6_tx {
        if changelink {
            return Err(change_notsup(attr::UDP_ZERO_CSUM6_TX));
        }
        if v != 0 {
            cfg.csum = false;
        }
    }
    if let Some(v) = data.udp_zero_csum6_rx {
        if changelink {
            return Err(change_notsup(attr::UDP_ZERO_CSUM6_RX));
        }
        if v != 0 {
            cfg.use_udp6_rx_checksums = false;
        }
    }
    if data.inner_proto_inherit {
        if changelink {
            return Err(change_notsup(attr::INNER_PROTO_INHERIT));
        }
        cfg.inner_proto_inherit = true;
    }
    Ok(())
}

/// `is_tnl_info_zero`.
fn is_tnl_info_zero(c: &GeneveConf) -> bool {
    c.vni == 0 && c.tos == 0 && !c.csum && c.ttl == 0 && c.label == 0 && c.key_u() == [0; 32]
}

/// `geneve_find_dev` on `gn = net_generic(ns, geneve_net_id)`: (a device with the same
/// identity, a device on the port, whether the last device on the port found is external).
/// The list holds the devices whose `geneve->net` is `ns`, wherever they are now.
fn find_dev(k: &Kernel, ns: NetnsId, c: &GeneveConf) -> (bool, bool, bool) {
    let (mut found, mut on_port, mut md) = (false, false, false);
    // list_add puts the newest first.
    let mut devs: Vec<&GeneveConf> = k
        .all_devices()
        .filter(|d| d.kind == Kind::GENEVE && geneve_net(d) == ns)
        .filter_map(state)
        .collect();
    devs.reverse();
    for g in devs {
        if g.port == c.port {
            md = g.collect_md;
            on_port = true;
        }
        if g.vni == c.vni && g.port == c.port && g.key_u() == c.key_u() {
            found = true;
        }
    }
    (found, on_port, md)
}

/// `geneve_change_mtu`: clamps to the device's range.
fn geneve_change_mtu(dev: &mut NetDevice, mtu: u32) {
    dev.mtu = mtu.clamp(dev.min_mtu, dev.max_mtu.max(dev.min_mtu));
}

/// `geneve_link_config`: IFLA_MTU, or the MTU of the route's device minus the headers (the
/// route looked up in `geneve->net`).
fn link_config(k: &mut Kernel, id: DevId, c: &GeneveConf, mtu: Option<u32>) {
    if let Some(m) = mtu {
        geneve_change_mtu(k.dev_mut(id), m);
        return;
    }
    let ns = geneve_net(k.dev(id));
    let ldev_mtu = match ip_route_output(k, ns, c.remote(), 0) {
        Some(l) if c.ipv6 => k.dev(l).mtu as i64 - GENEVE_IPV6_HLEN,
        Some(l) => k.dev(l).mtu as i64 - GENEVE_IPV4_HLEN,
        None => 0,
    };
    if ldev_mtu <= 0 {
        return;
    }
    geneve_change_mtu(k.dev_mut(id), ldev_mtu as u32);
}

impl LinkOps for GeneveOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("geneve")
    }

    /// `geneve_setup`: Ethernet, random MAC, IFF_NO_QUEUE, MTU 68..65505.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        dev.ether_setup();
        dev.min_mtu = ETH_MIN_MTU;
        dev.max_mtu = SETUP_MAX_MTU;
        dev.no_queue = true;
        dev.live_addr_change = true;
        super::dummy::eth_hw_addr_random(dev, rng);
        dev.state = KindState::boxed(Box::new(GeneveConf::new()));
    }

    /// `geneve_validate`.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        if let Some(a) = &req.address {
            if a.len() != ETH_ALEN {
                return Err(KernelError::new(errno::EINVAL)
                    .msg("Provided link layer address is not Ethernet")
                    .attr(AttrPath::top(ifla::ADDRESS)));
            }
            if !HwAddr::from_slice(a).is_some_and(|h| h.is_valid_ether()) {
                return Err(KernelError::new(errno::EADDRNOTAVAIL)
                    .msg("Provided Ethernet address is not unicast")
                    .attr(AttrPath::top(ifla::ADDRESS)));
            }
        }
        let Some(data) = data_of(req) else {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Not enough attributes provided to perform the operation"));
        };
        if data.id.is_some_and(|id| id >= GENEVE_N_VID) {
            return Err(KernelError::new(errno::ERANGE)
                .msg("Geneve ID must be lower than 16777216")
                .attr(AttrPath::info_data(attr::ID)));
        }
        if data.df.is_some_and(|df| df > GENEVE_DF_MAX) {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Invalid DF attribute")
                .attr(AttrPath::info_data(attr::DF)));
        }
        Ok(())
    }

    /// `geneve_newlink` → `geneve_configure` (GENEVE-DUP, GENEVE-EXTERNAL) → `geneve_link_config`.
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let empty = GeneveData::default();
        let data = data_of(req).unwrap_or(&empty);
        let mut cfg = GeneveConf::new();
        nl2info(data, &mut cfg, false)?;
        if cfg.collect_md && !is_tnl_info_zero(&cfg) {
            return Err(KernelError::new(errno::EINVAL).msg(
                "Device is externally controlled, so attributes (VNI, Port, and so on) must not be specified",
            ));
        }
        // geneve_configure(net = src_net): `geneve->net = net`, `gn = net_generic(net, ...)`.
        cfg.net = Some(src_net);
        let (found, on_port, port_md) = find_dev(k, src_net, &cfg);
        if found {
            return err(errno::EBUSY);
        }
        dev.max_mtu -= if !cfg.collect_md && !cfg.ipv6 { 20 } else { 40 };
        if cfg.collect_md {
            if on_port {
                return Err(KernelError::new(errno::EPERM).msg(
                    "There can be only one externally controlled device on a destination port",
                ));
            }
        } else if port_md {
            return Err(KernelError::new(errno::EPERM).msg(
                "There already exists an externally controlled device on this destination port",
            ));
        }
        if cfg.inner_proto_inherit {
            dev.dev_type = arphrd::NONE;
            dev.addr = HwAddr::NONE;
            dev.broadcast = HwAddr::NONE;
            dev.flags = iff::POINTOPOINT | iff::NOARP;
        }
        dev.state = KindState::boxed(Box::new(cfg.clone()));
        let id = k.register_netdevice(dev)?;
        link_config(k, id, &cfg, req.mtu);
        Ok(id)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    /// `geneve_changelink`: nothing changes on an external device; the rest through
    /// `geneve_nl2info` with `changelink` (GENEVE-CHANGE). No identity check here.
    fn changelink_tb(
        &self,
        k: &mut Kernel,
        id: DevId,
        data: &KindData,
        req: &LinkRequest,
    ) -> KResult<()> {
        let Some(data) = data.downcast_ref::<GeneveData>() else {
            return err(errno::EINVAL);
        };
        let Some(old) = state(k.dev(id)).cloned() else {
            return err(errno::EINVAL);
        };
        if old.collect_md {
            return err(errno::EOPNOTSUPP);
        }
        let mut cfg = old.clone();
        nl2info(data, &mut cfg, true)?;
        // geneve_dst_addr_equal, in the old configuration's family.
        let same = if old.ipv6 {
            old.remote6 == cfg.remote6
        } else {
            old.remote4 == cfg.remote4
        };
        if !same {
            link_config(k, id, &cfg, req.mtu);
        }
        k.dev_mut(id).state = KindState::boxed(Box::new(cfg));
        Ok(())
    }

    /// `geneve_change_mtu`: values inside dev_validate_mtu's range are taken as they are.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        geneve_change_mtu(k.dev_mut(id), mtu);
        Ok(())
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<GeneveConf>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        match state(d) {
            Some(g) => k.check_netns_ref(d, "net", g.net),
            None => Ok(()),
        }
    }

    /// `geneve_exit_batch_rtnl` → `geneve_destroy_tunnels`: `geneve_dellink` of every device
    /// on the namespace's list (`geneve->net`), wherever it is; list_add put the newest first.
    fn exit_rtnl_rank(&self) -> Option<u8> {
        Some(3)
    }

    fn exit_batch_rtnl(&self, k: &mut Kernel, ns: NetnsId) -> Vec<DevId> {
        let geneves: Vec<DevId> = k
            .all_devices()
            .filter(|d| d.kind == Kind::GENEVE && geneve_net(d) == ns)
            .map(|d| d.id)
            .collect();
        geneves.into_iter().rev().collect()
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        state(dev).map(|c| KindInfo::boxed(Box::new(c.clone())))
    }
}

#[typetag::serde(name = "Geneve")]
impl KindPriv for GeneveConf {}

#[typetag::serde(name = "Geneve")]
impl KindDataValue for GeneveData {}

#[typetag::serde(name = "Geneve")]
impl KindInfoValue for GeneveConf {}
