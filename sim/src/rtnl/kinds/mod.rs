//! The wire half of each link kind (`struct rtnl_link_ops` minus the model): its policies,
//! how its IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA decode into the model's request data, and
//! how its `fill_info` / `fill_slave_info` views encode. One file per kind, one line per
//! kind in [`LINK_KINDS`]; the model half is in `kernel-model/src/kinds/`. A kind file
//! imports what it is made of from `rtnl::link_kind`, never this registry nor `rtnl::decode`
//! (a peer request decodes through `DecodeCtx::decode_peer`).

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

pub use super::link_kind::{
    typed_in_order, DecodeCtx, DecodeFn, DecodePeerFn, DecodeSlaveFn, FillCtx, FillFn, FillSlaveFn,
    LinkKindWire,
};

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
