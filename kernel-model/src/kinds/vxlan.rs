//! vxlan (drivers/net/vxlan/vxlan_core.c): configuration (`vxlan_nl2conf`), validation
//! (`vxlan_config_validate`, `vxlan_vni_in_use`), MTU from the lower (`vxlan_config_apply`,
//! `vxlan_change_mtu`) and deletion with the lower (`vxlan_handle_lowerdev_unregister`).
//!
//! The FDB, sockets and multicast membership are not modelled: they have no rtnetlink link
//! effect. The device list `vn->vxlan_list` is the set of vxlan devices of the namespace.

use super::dummy::eth_hw_addr_random;
use super::vlan::inherit_tso_max;
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, AttrPath, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::{Kernel, NetdevEvent};
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv};
use crate::request::{KindData, LinkRequest};
use crate::uapi::{errno, ifla, ETH_ALEN, ETH_MAX_MTU, ETH_MIN_MTU};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `VXLAN_F_*` (include/net/vxlan.h).
pub mod flag {
    pub const LEARN: u32 = 0x01;
    pub const PROXY: u32 = 0x02;
    pub const RSC: u32 = 0x04;
    pub const L2MISS: u32 = 0x08;
    pub const L3MISS: u32 = 0x10;
    pub const IPV6: u32 = 0x20;
    pub const UDP_ZERO_CSUM_TX: u32 = 0x40;
    pub const UDP_ZERO_CSUM6_TX: u32 = 0x80;
    pub const UDP_ZERO_CSUM6_RX: u32 = 0x100;
    pub const REMCSUM_TX: u32 = 0x200;
    pub const REMCSUM_RX: u32 = 0x400;
    pub const GBP: u32 = 0x800;
    pub const REMCSUM_NOPARTIAL: u32 = 0x1000;
    pub const COLLECT_METADATA: u32 = 0x2000;
    pub const GPE: u32 = 0x4000;
    pub const IPV6_LINKLOCAL: u32 = 0x8000;
    pub const TTL_INHERIT: u32 = 0x10000;
    pub const VNIFILTER: u32 = 0x20000;
    pub const LOCALBYPASS: u32 = 0x80000;
    pub const RCV_FLAGS: u32 = GBP
        | GPE
        | UDP_ZERO_CSUM6_RX
        | REMCSUM_RX
        | REMCSUM_NOPARTIAL
        | COLLECT_METADATA
        | VNIFILTER;
    pub const ALLOWED_GPE: u32 = GPE
        | IPV6
        | IPV6_LINKLOCAL
        | UDP_ZERO_CSUM_TX
        | UDP_ZERO_CSUM6_TX
        | UDP_ZERO_CSUM6_RX
        | COLLECT_METADATA
        | VNIFILTER
        | LOCALBYPASS;
}

/// IFLA_VXLAN_* numbers used in extack attribute paths and flag errors.
pub mod attr {
    pub const ID: u16 = 1;
    pub const TTL_INHERIT: u16 = 28;
    pub const LEARNING: u16 = 7;
    pub const PROXY: u16 = 11;
    pub const RSC: u16 = 12;
    pub const L2MISS: u16 = 13;
    pub const L3MISS: u16 = 14;
    pub const PORT: u16 = 15;
    pub const UDP_CSUM: u16 = 18;
    pub const UDP_ZERO_CSUM6_TX: u16 = 19;
    pub const UDP_ZERO_CSUM6_RX: u16 = 20;
    pub const REMCSUM_TX: u16 = 21;
    pub const REMCSUM_RX: u16 = 22;
    pub const GBP: u16 = 23;
    pub const REMCSUM_NOPARTIAL: u16 = 24;
    pub const COLLECT_METADATA: u16 = 25;
    pub const LIMIT: u16 = 9;
    pub const GPE: u16 = 27;
    pub const DF: u16 = 29;
    pub const VNIFILTER: u16 = 30;
    pub const LOCALBYPASS: u16 = 31;
}

/// The kernel module parameter `udp_port` (default 8472, VXLAN-NOPORT).
pub const VXLAN_DEFAULT_PORT: u16 = 8472;
/// `IANA_VXLAN_GPE_UDP_PORT`.
pub const IANA_VXLAN_GPE_UDP_PORT: u16 = 4790;
/// `FDB_AGE_DEFAULT`.
pub const FDB_AGE_DEFAULT: u32 = 300;
/// `VXLAN_N_VID`.
pub const VXLAN_N_VID: u32 = 1 << 24;
/// `VXLAN_DF_MAX`.
pub const VXLAN_DF_MAX: u8 = 2;
/// `IPV6_FLOWLABEL_MASK` (host order).
pub const IPV6_FLOWLABEL_MASK: u32 = 0x000f_ffff;

/// A boolean IFLA_VXLAN_* attribute handled by `vxlan_nl2flag`: the attribute type, its
/// VXLAN_F_* bit, whether changelink may change it, and the value (flags: always true).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagAttr {
    pub attr: u16,
    pub value: bool,
}

/// IFLA_INFO_DATA of kind "vxlan" (`vxlan_policy`), in the kernel's reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VxlanData {
    pub id: Option<u32>,
    /// IFLA_VXLAN_GROUP (preferred) or IFLA_VXLAN_GROUP6.
    pub group: Option<IpAddr>,
    /// IFLA_VXLAN_LOCAL (preferred) or IFLA_VXLAN_LOCAL6.
    pub local: Option<IpAddr>,
    pub link: Option<u32>,
    pub tos: Option<u8>,
    pub ttl: Option<u8>,
    pub label: Option<u32>,
    pub label_policy: Option<u32>,
    pub ageing: Option<u32>,
    pub limit: Option<u32>,
    pub port_range: Option<(u16, u16)>,
    /// Host order.
    pub port: Option<u16>,
    pub udp_csum: Option<bool>,
    pub df: Option<u8>,
    /// The flag attributes present (`vxlan_nl2flag`), by attribute type.
    pub flags: Vec<FlagAttr>,
}

impl VxlanData {
    fn flag(&self, attr: u16) -> Option<bool> {
        self.flags
            .iter()
            .rev()
            .find(|f| f.attr == attr)
            .map(|f| f.value)
    }
}

/// `struct vxlan_config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VxlanConf {
    /// `remote_ip` (None = AF_UNSPEC); unspecified address = any.
    pub remote: Option<IpAddr>,
    pub saddr: Option<IpAddr>,
    pub vni: u32,
    pub dst_port: u16,
    pub port_min: u16,
    pub port_max: u16,
    pub tos: u8,
    pub ttl: u8,
    pub label: u32,
    pub label_policy: u32,
    pub flags: u32,
    pub age_interval: u32,
    pub addrmax: u32,
    pub df: u8,
    pub remote_ifindex: u32,
    pub mtu: u32,
}

impl VxlanConf {
    fn zero() -> Self {
        VxlanConf {
            remote: None,
            saddr: None,
            vni: 0,
            dst_port: 0,
            port_min: 0,
            port_max: 0,
            tos: 0,
            ttl: 0,
            label: 0,
            label_policy: 0,
            flags: 0,
            age_interval: 0,
            addrmax: 0,
            df: 0,
            remote_ifindex: 0,
            mtu: 0,
        }
    }
}

/// `struct vxlan_dev` as far as rtnetlink sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VxlanState {
    pub cfg: VxlanConf,
    /// `default_dst.remote_dev`.
    pub remote_dev: Option<DevId>,
    /// `vxlan->net`: the namespace it was created from (`vxlan_get_link_net`); `None` in
    /// states saved before namespaces existed (then the device's own).
    #[serde(default)]
    pub net: Option<NetnsId>,
}

/// What `vxlan_fill_info` reports.
pub type VxlanInfo = VxlanConf;

pub struct VxlanOps;

fn state(d: &NetDevice) -> Option<&VxlanState> {
    d.state.downcast_ref::<VxlanState>()
}

fn data_of(req: &LinkRequest) -> Option<&VxlanData> {
    req.linkinfo
        .as_ref()?
        .data
        .as_ref()?
        .downcast_ref::<VxlanData>()
}

fn is_any(a: &Option<IpAddr>) -> bool {
    a.is_none_or(|a| a.is_unspecified())
}

fn is_multicast(a: &Option<IpAddr>) -> bool {
    a.is_some_and(|a| a.is_multicast())
}

/// `vxlan_headroom`.
pub fn headroom(flags: u32) -> u32 {
    let ip = if flags & flag::IPV6 != 0 { 40 } else { 20 };
    ip + 8 + 8 + if flags & flag::GPE != 0 { 0 } else { 14 }
}

/// (attribute, VXLAN_F_* bit, changelink supported, extack name) for `vxlan_nl2flag`, in the
/// order `vxlan_nl2conf` reads them.
const FLAG_ATTRS: &[(u16, u32, bool, &str)] = &[
    (attr::TTL_INHERIT, flag::TTL_INHERIT, false, "TTL_INHERIT"),
    (attr::LEARNING, flag::LEARN, true, "LEARNING"),
    (attr::PROXY, flag::PROXY, false, "PROXY"),
    (attr::RSC, flag::RSC, false, "RSC"),
    (attr::L2MISS, flag::L2MISS, false, "L2MISS"),
    (attr::L3MISS, flag::L3MISS, false, "L3MISS"),
    (
        attr::COLLECT_METADATA,
        flag::COLLECT_METADATA,
        false,
        "COLLECT_METADATA",
    ),
    (attr::LOCALBYPASS, flag::LOCALBYPASS, true, ""),
    (
        attr::UDP_ZERO_CSUM6_TX,
        flag::UDP_ZERO_CSUM6_TX,
        false,
        "UDP_ZERO_CSUM6_TX",
    ),
    (
        attr::UDP_ZERO_CSUM6_RX,
        flag::UDP_ZERO_CSUM6_RX,
        false,
        "UDP_ZERO_CSUM6_RX",
    ),
    (attr::REMCSUM_TX, flag::REMCSUM_TX, false, "REMCSUM_TX"),
    (attr::REMCSUM_RX, flag::REMCSUM_RX, false, "REMCSUM_RX"),
    (attr::GBP, flag::GBP, false, "GBP"),
    (attr::GPE, flag::GPE, false, "GPE"),
    (
        attr::REMCSUM_NOPARTIAL,
        flag::REMCSUM_NOPARTIAL,
        false,
        "REMCSUM_NOPARTIAL",
    ),
    (attr::VNIFILTER, flag::VNIFILTER, false, ""),
];

fn eopnotsupp(attr: u16, text: &'static str) -> KernelError {
    KernelError::new(errno::EOPNOTSUPP)
        .msg(text)
        .attr(AttrPath::info_data(attr))
}

/// `vxlan_nl2flag` for one attribute.
fn nl2flag(conf: &mut VxlanConf, data: &VxlanData, attr: u16, changelink: bool) -> KResult<bool> {
    let Some(value) = data.flag(attr) else {
        return Ok(false);
    };
    let Some(&(_, mask, supported, name)) = FLAG_ATTRS.iter().find(|f| f.0 == attr) else {
        return Ok(false);
    };
    if changelink && !supported {
        // vxlan_flag_attr_error (NL_SET_ERR_MSG_MOD).
        let text = if name.is_empty() {
            "vxlan: cannot change flag".to_string()
        } else {
            format!("vxlan: cannot change {name} flag")
        };
        return Err(KernelError::new(errno::EOPNOTSUPP).msg(text));
    }
    if value {
        conf.flags |= mask;
    } else {
        conf.flags &= !mask;
    }
    Ok(true)
}

/// `vxlan_nl2conf`: `old` is the device's configuration for changelink.
fn nl2conf(data: &VxlanData, mtu: Option<u32>, old: Option<&VxlanConf>) -> KResult<VxlanConf> {
    let changelink = old.is_some();
    let mut conf = old.cloned().unwrap_or_else(VxlanConf::zero);
    if let Some(vni) = data.id {
        if changelink && vni != conf.vni {
            return Err(eopnotsupp(attr::ID, "Cannot change VNI"));
        }
        conf.vni = vni;
    }
    if let Some(g) = data.group {
        if changelink && conf.remote.is_some_and(|r| r.is_ipv4() != g.is_ipv4()) {
            return Err(KernelError::new(errno::EOPNOTSUPP)
                .msg("New group address family does not match old group"));
        }
        conf.remote = Some(g);
    }
    if let Some(l) = data.local {
        if changelink && conf.saddr.is_some_and(|r| r.is_ipv4() != l.is_ipv4()) {
            return Err(KernelError::new(errno::EOPNOTSUPP)
                .msg("New local address family does not match old"));
        }
        conf.saddr = Some(l);
    }
    if let Some(l) = data.link {
        conf.remote_ifindex = l;
    }
    if let Some(v) = data.tos {
        conf.tos = v;
    }
    if let Some(v) = data.ttl {
        conf.ttl = v;
    }
    nl2flag(&mut conf, data, attr::TTL_INHERIT, changelink)?;
    if let Some(v) = data.label {
        conf.label = v & IPV6_FLOWLABEL_MASK;
    }
    if let Some(v) = data.label_policy {
        conf.label_policy = v;
    }
    if !nl2flag(&mut conf, data, attr::LEARNING, changelink)? && !changelink {
        conf.flags |= flag::LEARN;
    }
    if let Some(v) = data.ageing {
        conf.age_interval = v;
    }
    for a in [attr::PROXY, attr::RSC, attr::L2MISS, attr::L3MISS] {
        nl2flag(&mut conf, data, a, changelink)?;
    }
    if let Some(v) = data.limit {
        if changelink {
            return Err(eopnotsupp(attr::LIMIT, "Cannot change limit"));
        }
        conf.addrmax = v;
    }
    nl2flag(&mut conf, data, attr::COLLECT_METADATA, changelink)?;
    if let Some((lo, hi)) = data.port_range {
        if changelink {
            return Err(KernelError::new(errno::EOPNOTSUPP).msg("Cannot change port range"));
        }
        conf.port_min = lo;
        conf.port_max = hi;
    }
    if let Some(p) = data.port {
        if changelink {
            return Err(eopnotsupp(attr::PORT, "Cannot change port"));
        }
        conf.dst_port = p;
    }
    if let Some(on) = data.udp_csum {
        if changelink {
            return Err(eopnotsupp(attr::UDP_CSUM, "Cannot change UDP_CSUM flag"));
        }
        if !on {
            conf.flags |= flag::UDP_ZERO_CSUM_TX;
        }
    }
    if !nl2flag(&mut conf, data, attr::LOCALBYPASS, changelink)? && !changelink {
        conf.flags |= flag::LOCALBYPASS;
    }
    for a in [
        attr::UDP_ZERO_CSUM6_TX,
        attr::UDP_ZERO_CSUM6_RX,
        attr::REMCSUM_TX,
        attr::REMCSUM_RX,
        attr::GBP,
        attr::GPE,
        attr::REMCSUM_NOPARTIAL,
    ] {
        nl2flag(&mut conf, data, a, changelink)?;
    }
    if let Some(m) = mtu {
        if changelink {
            return Err(KernelError::new(errno::EOPNOTSUPP)
                .msg("Cannot change mtu")
                .attr(AttrPath::top(ifla::MTU)));
        }
        conf.mtu = m;
    }
    if let Some(df) = data.df {
        conf.df = df;
    }
    if nl2flag(&mut conf, data, attr::VNIFILTER, changelink)?
        && conf.flags & flag::VNIFILTER != 0
        && conf.flags & flag::COLLECT_METADATA == 0
    {
        return Err(KernelError::new(errno::EINVAL)
            .msg("vxlan vnifilter only valid in collect metadata mode")
            .attr(AttrPath::info_data(attr::VNIFILTER)));
    }
    Ok(conf)
}

/// `vxlan_config_validate`: fills the defaults (families, port, ageing) and checks the VNI
/// table; returns the lower device.
fn config_validate(
    k: &Kernel,
    ns: crate::device::NetnsId,
    conf: &mut VxlanConf,
    old: Option<DevId>,
) -> KResult<Option<DevId>> {
    if conf.flags & flag::GPE != 0
        && (conf.flags & !flag::ALLOWED_GPE != 0 || conf.flags & flag::COLLECT_METADATA == 0)
    {
        return Err(KernelError::new(errno::EINVAL)
            .msg("VXLAN GPE does not support this combination of attributes"));
    }
    match (conf.remote, conf.saddr) {
        (None, None) => {
            conf.remote = Some(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
            conf.saddr = Some(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        }
        (None, Some(s)) => conf.remote = Some(unspecified_like(s)),
        (Some(r), None) => conf.saddr = Some(unspecified_like(r)),
        _ => {}
    }
    let v6 = conf.saddr.is_some_and(|a| a.is_ipv6());
    if conf.remote.is_some_and(|a| a.is_ipv6()) != v6 {
        return Err(KernelError::new(errno::EINVAL)
            .msg("Local and remote address must be from the same family"));
    }
    if is_multicast(&conf.saddr) {
        return Err(KernelError::new(errno::EINVAL).msg("Local address cannot be multicast"));
    }
    if v6 {
        conf.flags |= flag::IPV6;
        if conf.flags & flag::COLLECT_METADATA == 0 {
            let ll = |a: &Option<IpAddr>| match a {
                Some(IpAddr::V6(a)) => a.segments()[0] & 0xffc0 == 0xfe80,
                _ => false,
            };
            if ll(&conf.saddr) {
                if !ll(&conf.remote) && !is_any(&conf.remote) {
                    return Err(KernelError::new(errno::EINVAL)
                        .msg("Invalid combination of local and remote address scopes"));
                }
                conf.flags |= flag::IPV6_LINKLOCAL;
            } else {
                if ll(&conf.remote) {
                    return Err(KernelError::new(errno::EINVAL)
                        .msg("Invalid combination of local and remote address scopes"));
                }
                conf.flags &= !flag::IPV6_LINKLOCAL;
            }
        }
    }
    if conf.label != 0 && !v6 {
        return Err(KernelError::new(errno::EINVAL)
            .msg("Label attribute only applies to IPv6 VXLAN devices"));
    }
    if conf.label_policy != 0 && !v6 {
        return Err(
            KernelError::new(errno::EINVAL).msg("Label policy only applies to IPv6 VXLAN devices")
        );
    }
    let lower = if conf.remote_ifindex != 0 {
        let Some(l) = k.dev_by_index(ns, conf.remote_ifindex) else {
            return Err(
                KernelError::new(errno::ENODEV).msg("Invalid local interface, device not found")
            );
        };
        Some(l)
    } else {
        if is_multicast(&conf.remote) {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Local interface required for multicast remote destination"));
        }
        if conf.flags & flag::IPV6_LINKLOCAL != 0 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Local interface required for link-local local/remote addresses"));
        }
        None
    };
    if conf.dst_port == 0 {
        conf.dst_port = if conf.flags & flag::GPE != 0 {
            IANA_VXLAN_GPE_UDP_PORT
        } else {
            VXLAN_DEFAULT_PORT
        };
    }
    if conf.age_interval == 0 {
        conf.age_interval = FDB_AGE_DEFAULT;
    }
    if vni_in_use(k, ns, old, conf) {
        return Err(KernelError::new(errno::EEXIST)
            .msg("A VXLAN device with the specified VNI already exists"));
    }
    Ok(lower)
}

fn unspecified_like(a: IpAddr) -> IpAddr {
    match a {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    }
}

/// `vxlan_vni_in_use` (VXLAN-DUP-VNI, VXLAN-VNI-PORT, VXLAN-EXTERNAL-DUP): same VNI, same
/// port, same receive flags and family. VNI filtering devices are not modelled (their
/// per-VNI table is managed by RTM_NEWTUNNEL).
fn vni_in_use(
    k: &Kernel,
    ns: crate::device::NetnsId,
    old: Option<DevId>,
    conf: &VxlanConf,
) -> bool {
    let mask = flag::RCV_FLAGS | flag::IPV6;
    k.devices_from(ns, 0)
        .filter(|d| d.kind == Kind::VXLAN && Some(d.id) != old)
        .filter_map(|d| state(d).map(|s| &s.cfg))
        .any(|t| {
            t.vni == conf.vni
                && t.dst_port == conf.dst_port
                && t.flags & mask == conf.flags & mask
                && (conf.flags & flag::IPV6_LINKLOCAL == 0
                    || t.remote_ifindex == conf.remote_ifindex)
        })
}

/// `vxlan_config_apply` (MTU: VXLAN-CREATE, VXLAN-DEV-MTU).
fn config_apply(
    dev: &mut NetDevice,
    conf: &VxlanConf,
    lower: Option<&NetDevice>,
    changelink: bool,
) {
    let mut max_mtu = ETH_MAX_MTU;
    if !changelink && conf.mtu != 0 {
        dev.mtu = conf.mtu;
    }
    if let Some(l) = lower {
        inherit_tso_max(dev, l);
        max_mtu = l.mtu.saturating_sub(headroom(conf.flags)).max(ETH_MIN_MTU);
        if !changelink && conf.mtu == 0 {
            dev.mtu = max_mtu;
        }
    }
    if dev.mtu > max_mtu {
        dev.mtu = max_mtu;
    }
}

fn cfg(k: &Kernel, id: DevId) -> &VxlanConf {
    &state(k.dev(id))
        .expect("model invariant: vxlan state on a vxlan")
        .cfg
}

impl LinkOps for VxlanOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("vxlan")
    }

    /// `vxlan_fdb_add`: the VXLAN forwarding table is not modelled.
    fn fdb_add(&self, _k: &mut Kernel, _dev: DevId, _op: &crate::fdb::FdbOp) -> KResult<()> {
        Err(KernelError::not_modelled("the VXLAN FDB (vxlan_fdb_add)"))
    }

    fn fdb_del(&self, _k: &mut Kernel, _dev: DevId, _op: &crate::fdb::FdbOp) -> KResult<()> {
        Err(KernelError::not_modelled(
            "the VXLAN FDB (vxlan_fdb_delete)",
        ))
    }

    fn fdb_get(
        &self,
        _k: &Kernel,
        _dev: DevId,
        _addr: HwAddr,
        _vid: u16,
    ) -> KResult<crate::fdb::FdbMsg> {
        Err(KernelError::not_modelled("the VXLAN FDB (vxlan_fdb_get)"))
    }

    /// `vxlan_fdb_dump` walks the VXLAN table only (no address lists). A device with a remote
    /// has its default entry there (`vxlan_fdb_create` at configure time): not modelled, so
    /// the dump is refused instead of answered without it.
    fn fdb_dump(
        &self,
        k: &Kernel,
        dev: DevId,
        _filter: Option<DevId>,
        _out: &mut Vec<crate::fdb::FdbMsg>,
    ) -> KResult<()> {
        match state(k.dev(dev)).and_then(|s| s.cfg.remote) {
            Some(r) if !r.is_unspecified() => Err(KernelError::not_modelled(
                "the VXLAN FDB (default entry of a vxlan with a remote)",
            )),
            _ => Ok(()),
        }
    }

    /// `vxlan_setup` + `vxlan_ether_setup`: random MAC, Ethernet, IFF_NO_QUEUE, MTU 68..65535.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        eth_hw_addr_random(dev, rng);
        let addr = dev.addr;
        dev.ether_setup();
        dev.addr = addr;
        dev.no_queue = true;
        dev.live_addr_change = true;
        dev.min_mtu = ETH_MIN_MTU;
        dev.max_mtu = ETH_MAX_MTU;
        dev.state = KindState::boxed(Box::new(VxlanState {
            cfg: VxlanConf::zero(),
            remote_dev: None,
            net: None,
        }));
    }

    /// `vxlan_validate`.
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
        if let Some(m) = req.mtu {
            if !(ETH_MIN_MTU..=ETH_MAX_MTU).contains(&m) {
                return Err(KernelError::new(errno::EINVAL)
                    .msg("MTU must be between 68 and 65535")
                    .attr(AttrPath::top(ifla::MTU)));
            }
        }
        let Some(data) = data_of(req) else {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Required attributes not provided to perform the operation"));
        };
        if data.id.is_some_and(|id| id >= VXLAN_N_VID) {
            return Err(KernelError::new(errno::ERANGE)
                .msg("VXLAN ID must be lower than 16777216")
                .attr(AttrPath::info_data(attr::ID)));
        }
        if data.port_range.is_some_and(|(lo, hi)| hi < lo) {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid source port range"));
        }
        if data.df.is_some_and(|df| df > VXLAN_DF_MAX) {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Invalid DF attribute")
                .attr(AttrPath::info_data(attr::DF)));
        }
        Ok(())
    }

    /// `vxlan_newlink` → `__vxlan_dev_create`.
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let empty = VxlanData::default();
        let data = data_of(req).unwrap_or(&empty);
        let mut conf = nl2conf(data, req.mtu, None)?;
        // __vxlan_dev_create(src_net, ...): the lower and the socket table are src_net's.
        let lower = config_validate(k, src_net, &mut conf, None)?;
        config_apply(&mut dev, &conf, lower.map(|l| k.dev(l)), false);
        if lower.is_none() {
            conf.remote_ifindex = 0;
        }
        dev.state = KindState::boxed(Box::new(VxlanState {
            cfg: conf,
            remote_dev: lower,
            net: Some(src_net),
        }));
        let id = k.register_netdevice(dev)?;
        if let Some(l) = lower {
            // netdev_upper_dev_link(remote_dev, dev)
            k.link_lower(id, l);
        }
        Ok(id)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    /// `vxlan_changelink` (VXLAN-CHANGE-VNI, VXLAN-CHANGE-PORT, VXLAN-CHANGE-TTL).
    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        let Some(data) = data.downcast_ref::<VxlanData>() else {
            return err(errno::EINVAL);
        };
        let old = cfg(k, id).clone();
        let mut conf = nl2conf(data, None, Some(&old))?;
        let ns = k.dev(id).netns;
        let lower = config_validate(k, ns, &mut conf, Some(id))?;
        let cur = state(k.dev(id)).and_then(|s| s.remote_dev);
        let new_lower = lower.filter(|l| Some(*l) != cur);
        if let Some(l) = new_lower {
            k.unlink_lower(id);
            k.link_lower(id, l);
        }
        let lower_dev = new_lower.map(|l| k.dev(l).clone());
        let d = k.dev_mut(id);
        config_apply(d, &conf, lower_dev.as_ref(), true);
        if let Some(s) = d.state.downcast_mut::<VxlanState>() {
            if new_lower.is_some() {
                s.remote_dev = new_lower;
            } else if lower.is_none() {
                conf.remote_ifindex = old.remote_ifindex;
            }
            s.cfg = conf;
        }
        Ok(())
    }

    /// `vxlan_change_mtu` (VXLAN-MTU): bounded by the lower's MTU minus the headroom.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        let c = cfg(k, id);
        let ns = k.dev(id).netns;
        if c.remote_ifindex != 0 {
            if let Some(l) = k.dev_by_index(ns, c.remote_ifindex) {
                let max = k.dev(l).mtu as i64 - headroom(c.flags) as i64;
                if mtu as i64 > max {
                    return err(errno::EINVAL);
                }
            }
        }
        k.dev_mut(id).mtu = mtu;
        Ok(())
    }

    /// `vxlan_handle_lowerdev_unregister` (VXLAN-DEL-LOWER, DEL-CASCADE).
    fn lower_event(&self, k: &mut Kernel, upper: DevId, lower: DevId, ev: &NetdevEvent) {
        if matches!(ev, NetdevEvent::Unregister) {
            let idx = k.dev(lower).ifindex;
            if cfg(k, upper).remote_ifindex == idx {
                k.unregister_many(&[upper], false);
            }
        }
    }

    /// `vxlan_fill_info`.
    /// `vxlan_get_link_net`: `vxlan->net`, the namespace it was created from.
    fn get_link_net(&self, _k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        Some(state(dev).and_then(|s| s.net).unwrap_or(dev.netns))
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<VxlanState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        let Some(v) = state(d) else {
            return Ok(());
        };
        if let Some(r) = v.remote_dev {
            k.live(d, "remote_dev", r)?;
        }
        k.check_netns_ref(d, "net", v.net)
    }

    /// `vxlan_exit_batch_rtnl` → `vxlan_destroy_tunnels`: the vxlans created from the
    /// namespace (`vxlan->net`), wherever they are, with what `vxlan_dellink` takes along.
    fn exit_rtnl_rank(&self) -> Option<u8> {
        Some(4)
    }

    fn exit_batch_rtnl(&self, k: &mut Kernel, ns: NetnsId) -> Vec<DevId> {
        let mut kill = Vec::new();
        for id in k.devices_in_netns_order() {
            let d = k.dev(id);
            if d.kind == Kind::VXLAN && d.kind.ops().get_link_net(k, d) == Some(ns) {
                let victims = d.kind.ops().dellink(k, id).unwrap_or_else(|| vec![id]);
                kill.extend(victims);
            }
        }
        kill
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        state(dev).map(|s| KindInfo::boxed(Box::new(s.cfg.clone())))
    }
}

#[typetag::serde(name = "Vxlan")]
impl KindPriv for VxlanState {}

#[typetag::serde(name = "Vxlan")]
impl KindDataValue for VxlanData {}

#[typetag::serde(name = "Vxlan")]
impl KindInfoValue for VxlanConf {}
