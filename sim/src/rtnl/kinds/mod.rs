//! The wire half of each link kind (`struct rtnl_link_ops` minus the model): its policies,
//! how its IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA decode into the model's request data, and
//! how its `fill_info` / `fill_slave_info` views encode. One file per kind, one line per
//! kind in [`LINK_KINDS`]; the model half is in `kernel-model/src/kinds/`.

pub mod bond;
pub mod bridge;
pub mod geneve;
pub mod gre;
pub mod ip6tnl;
pub mod ip_tunnel;
pub mod ipvlan;
pub mod macsec;
pub mod macvlan;
pub mod netkit;
pub mod tun;
pub mod veth;
pub mod vlan;
pub mod vrf;
pub mod vti6;
pub mod vxcan;
pub mod vxlan;
pub mod xfrm;

use super::decode::NsResolve;
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::Policy;
use kernel_model::{KindData, KindInfo, PortData, PortInfo};
use netlink_packet_core::{NlaBuffer, Parseable};
use netlink_packet_route::link::{InfoData, InfoPortData};

/// What a kind decoder needs besides its attributes.
pub struct DecodeCtx<'a> {
    /// IFLA_NET_NS_PID / IFLA_NET_NS_FD of nested link messages (VETH_INFO_PEER).
    pub resolve: NsResolve<'a>,
}

/// What a kind encoder needs besides the model's view.
pub struct FillCtx<'a> {
    /// IFLA_INFO_KIND of the device (macvlan and macvtap share a view).
    pub kind: &'a str,
}

pub type DecodeFn = fn(&Attrs<'_>, &DecodeCtx<'_>) -> Result<KindData, DecodeError>;
pub type DecodeSlaveFn = fn(&Attrs<'_>) -> Result<PortData, DecodeError>;
pub type FillFn = fn(&KindInfo, &FillCtx<'_>) -> Option<InfoData>;
pub type FillSlaveFn = fn(&PortInfo) -> Option<InfoPortData>;

/// One kind's netlink side (`rtnl_link_ops`: `kind`, `policy`/`maxtype`,
/// `slave_policy`/`slave_maxtype`, `fill_info`, `fill_slave_info`; `newlink` / `changelink`
/// / `slave_changelink` read what `decode` / `decode_slave` produce).
pub struct LinkKindWire {
    /// IFLA_INFO_KIND.
    pub kind: &'static str,
    /// `ops->policy` (IFLA_INFO_DATA), validated before anything else.
    pub policy: Option<&'static Policy>,
    /// `ops->maxtype` where the kind's policy is checked elsewhere (veth's peer).
    pub maxtype: u16,
    /// `ops->slave_policy` (IFLA_INFO_SLAVE_DATA of a port of this kind of master).
    pub slave_policy: Option<&'static Policy>,
    pub decode: Option<DecodeFn>,
    pub decode_slave: Option<DecodeSlaveFn>,
    /// `ops->fill_info`.
    pub fill: Option<FillFn>,
    /// `ops->fill_slave_info`.
    pub fill_slave: Option<FillSlaveFn>,
}

impl LinkKindWire {
    /// A kind with nothing on the wire (dummy, nlmon, ifb, ...): the base for the statics.
    pub const NONE: LinkKindWire = LinkKindWire {
        kind: "",
        policy: None,
        maxtype: 0,
        slave_policy: None,
        decode: None,
        decode_slave: None,
        fill: None,
        fill_slave: None,
    };

    /// `maxtype` of IFLA_INFO_DATA: the policy's, else the declared one.
    pub fn data_maxtype(&self) -> u16 {
        self.policy.map_or(self.maxtype, Policy::max_type)
    }

    /// `slave_maxtype` of IFLA_INFO_SLAVE_DATA.
    pub fn slave_maxtype(&self) -> u16 {
        self.slave_policy.map_or(0, Policy::max_type)
    }
}

/// Every kind with something on the wire (`rtnl_link_register` calls).
static LINK_KINDS: &[&LinkKindWire] = &[
    &veth::WIRE,
    &bridge::WIRE,
    &bond::WIRE,
    &vrf::WIRE,
    &vlan::WIRE,
    &macvlan::MACVLAN,
    &macvlan::MACVTAP,
    &ipvlan::IPVLAN,
    &ipvlan::IPVTAP,
    &vxlan::WIRE,
    &gre::GRE,
    &gre::GRETAP,
    &gre::IP6GRE,
    &gre::IP6GRETAP,
    &geneve::WIRE,
    &ip_tunnel::IPIP,
    &ip_tunnel::SIT,
    &ip_tunnel::VTI,
    &tun::WIRE,
    &macsec::WIRE,
    &ip6tnl::WIRE,
    &vti6::WIRE,
    &gre::ERSPAN,
    &gre::IP6ERSPAN,
    &xfrm::WIRE,
    &netkit::WIRE,
    &vxcan::WIRE,
];

/// `rtnl_link_ops_get`: the kind named `kind`, if it has a wire half.
pub fn lookup(kind: &[u8]) -> Option<&'static LinkKindWire> {
    LINK_KINDS
        .iter()
        .copied()
        .find(|w| w.kind.as_bytes() == kind)
}

/// netlink-packet-route's typed reading of every attribute of a nest, one attribute at a
/// time, in request order (the kind decoders written against its types read this).
pub fn typed_in_order<T>(attrs: &Attrs<'_>) -> Result<Vec<T>, DecodeError>
where
    T: for<'b> Parseable<NlaBuffer<&'b [u8]>>,
{
    attrs
        .iter()
        .map(|nla| {
            let err = DecodeError { offset: nla.offset };
            let buf = NlaBuffer::new_checked(attrs.nla_bytes(&nla)).map_err(|_| err)?;
            T::parse(&buf).map_err(|_| err)
        })
        .collect()
}
