//! The registry: one file per device kind, each implementing [`LinkOps`] (the model's
//! `rtnl_link_ops` + `net_device_ops`), registered below like `rtnl_link_register`. The
//! generic link code in `kernel.rs` finds them through [`Kind`] and calls their hooks in the
//! order `net/core/rtnetlink.c` and `net/core/dev.c` do; it never names a kind.

pub mod bond;
pub mod bridge;
pub mod dummy;
pub mod erspan;
pub mod geneve;
pub mod gre;
pub mod ifb;
pub mod ip6tnl;
pub mod ip_tunnel;
pub mod ipvlan;
pub mod loopback;
pub mod macsec;
pub mod macvlan;
pub mod netdevsim;
pub mod netkit;
pub mod nlmon;
pub mod pair;
pub mod sit;
pub mod team;
pub mod tun;
pub mod vcan;
pub mod veth;
pub mod vlan;
pub mod vrf;
pub mod vti6;
pub mod vxcan;
pub mod vxlan;
pub mod wireguard;
pub mod xfrm;

pub use crate::link_ops::{Kind, KindEntry, LinkOps};
pub use crate::netdev_priv::{KindState, PortState};

/// `rtnl_link_register` for each kind: its entry (id, the name state files and messages knew
/// it by, its ops), a `Kind::ID` constant for the kinds' own code, and its registration.
macro_rules! register {
    ($($konst:ident = $id:literal, $name:literal, $ops:expr;)*) => {
        mod entries {
            use super::*;
            $(pub static $konst: KindEntry = KindEntry { id: $id, name: $name, ops: &$ops };)*
        }
        impl Kind {
            $(pub const $konst: Kind = Kind::new(&entries::$konst);)*
        }
        $(inventory::submit!(Kind::$konst);)*
    };
}

register! {
    LOOPBACK = "loopback", "Loopback", loopback::LoopbackOps;
    DUMMY = "dummy", "Dummy", dummy::DummyOps;
    VETH = "veth", "Veth", veth::VethOps;
    BRIDGE = "bridge", "Bridge", bridge::BridgeOps;
    NETDEVSIM = "netdevsim", "Netdevsim", netdevsim::NetdevsimOps;
    BOND = "bond", "Bond", bond::BondOps;
    TEAM = "team", "Team", team::TeamOps;
    VRF = "vrf", "Vrf", vrf::VrfOps;
    VLAN = "vlan", "Vlan", vlan::VlanOps;
    MACVLAN = "macvlan", "Macvlan", macvlan::MACVLAN_OPS;
    MACVTAP = "macvtap", "Macvtap", macvlan::MACVTAP_OPS;
    IPVLAN = "ipvlan", "Ipvlan", ipvlan::IPVLAN_OPS;
    IPVTAP = "ipvtap", "Ipvtap", ipvlan::IPVTAP_OPS;
    NLMON = "nlmon", "Nlmon", nlmon::NlmonOps;
    IFB = "ifb", "Ifb", ifb::IfbOps;
    VXLAN = "vxlan", "Vxlan", vxlan::VxlanOps;
    TUN = "tun", "Tun", tun::TUN_OPS;
    TAP = "tap", "Tap", tun::TAP_OPS;
    GRE = "gre", "Gre", gre::GRE_OPS;
    GRETAP = "gretap", "GreTap", gre::GRETAP_OPS;
    IP6GRE = "ip6gre", "Ip6Gre", gre::IP6GRE_OPS;
    IP6GRETAP = "ip6gretap", "Ip6GreTap", gre::IP6GRETAP_OPS;
    GENEVE = "geneve", "Geneve", geneve::GeneveOps;
    MACSEC = "macsec", "Macsec", macsec::MacsecOps;
    IP6TNL = "ip6tnl", "Ip6Tnl", ip6tnl::Ip6TnlOps;
    VTI6 = "vti6", "Vti6", vti6::Vti6Ops;
    ERSPAN = "erspan", "Erspan", gre::ERSPAN_OPS;
    IP6ERSPAN = "ip6erspan", "Ip6Erspan", gre::IP6ERSPAN_OPS;
    IPIP = "ipip", "Ipip", ip_tunnel::IPIP_OPS;
    SIT = "sit", "Sit", sit::SitOps;
    VTI = "vti", "Vti", ip_tunnel::VTI_OPS;
    XFRM = "xfrm", "Xfrm", xfrm::XfrmOps;
    NETKIT = "netkit", "Netkit", netkit::NetkitOps;
    WIREGUARD = "wireguard", "Wireguard", wireguard::WireguardOps;
    VCAN = "vcan", "Vcan", vcan::VcanOps;
    VXCAN = "vxcan", "Vxcan", vxcan::VxcanOps;
}
